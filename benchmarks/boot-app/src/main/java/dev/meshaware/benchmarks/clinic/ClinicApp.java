package dev.meshaware.benchmarks.clinic;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application of realistic size for the start-up benchmark: web MVC, JPA on an
 * embedded H2 database (owners, pets, visits, vets and their specialties, filled from SQL scripts),
 * validated forms and parameters, Thymeleaf pages sharing a layout, actuator health. The harness
 * measures the time from process start until {@code GET /owners?lastName=...} (a database query,
 * one outbound call, a rendered page) answers 200.
 */
@SpringBootApplication
public class ClinicApp {
  public static void main(String[] args) {
    SpringApplication.run(ClinicApp.class, args);
  }
}
