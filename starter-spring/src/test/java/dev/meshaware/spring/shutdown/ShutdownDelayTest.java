package dev.meshaware.spring.shutdown;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.spring.startup.StartupRecords;
import dev.meshaware.spring.testing.MeshLines;
import dev.meshaware.spring.testing.RunningApp;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Closing a real servlet application with {@code meshaware.shutdown.delay=2s} (long enough for a
 * busy machine to send its requests inside it): readiness turns to refusing, the application still
 * serves during the delay, the close takes at least the delay, and each phase is one line.
 */
class ShutdownDelayTest {
  private static final Duration DELAY = Duration.ofSeconds(2);

  @BeforeEach
  @AfterEach
  void forgetGate() {
    // A gate that found a sidecar earlier in this JVM would make the default delay apply.
    StartupRecords.forget();
  }

  @Test
  void closeRefusesTrafficAndKeepsServingForTheDelay() throws Exception {
    List<ReadinessState> readiness = new CopyOnWriteArrayList<>();
    try (MeshLines lines = new MeshLines()) {
      RunningApp app =
          RunningApp.start(
              WebApplicationType.SERVLET,
              ServingApp.class,
              false,
              "meshaware.shutdown.delay=" + DELAY.toMillis() + "ms",
              "management.endpoint.health.probes.enabled=true",
              "management.endpoints.web.exposure.include=health");
      app.context()
          .addApplicationListener(
              (ApplicationListener<AvailabilityChangeEvent<?>>)
                  event -> {
                    if (event.getState() instanceof ReadinessState state) {
                      readiness.add(state);
                    }
                  });
      // Served once before the close, so that the requests inside the delay find the servlet and
      // the endpoint ready (their first use is slow on a busy machine).
      assertThat(app.get("/hello", Map.of()).statusCode()).isEqualTo(200);
      assertThat(app.get("/actuator/health/readiness", Map.of()).statusCode()).isEqualTo(200);
      long begun = System.nanoTime();
      CompletableFuture<Void> closing = CompletableFuture.runAsync(app::close);
      // Sent once the delay has begun (readiness refused): still served.
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (lines.containing("shutting down").isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      List<Integer> during = new java.util.ArrayList<>();
      for (int i = 0; i < 3; i++) {
        during.add(app.get("/hello", Map.of()).statusCode());
      }
      HttpResponse<String> probe = app.get("/actuator/health/readiness", Map.of());
      closing.get();
      Duration took = Duration.ofNanos(System.nanoTime() - begun);

      assertThat(during).as("requests during the delay").containsOnly(200);
      assertThat(probe.statusCode()).as(probe.body()).isEqualTo(503);
      assertThat(probe.body()).contains("OUT_OF_SERVICE");
      assertThat(readiness).contains(ReadinessState.REFUSING_TRAFFIC);
      assertThat(took).isGreaterThanOrEqualTo(DELAY);
      assertThat(lines.containing("shutting down: readiness is REFUSING_TRAFFIC"))
          .as(lines.all().toString())
          .hasSize(1)
          .allMatch(line -> line.contains("for 2s (meshaware.shutdown.delay)"));
      assertThat(lines.containing("delay over after")).hasSize(1);
    }
  }

  @Test
  void withoutASidecarOrAnExplicitDelayCloseIsImmediate() throws Exception {
    try (MeshLines lines = new MeshLines()) {
      RunningApp.start(WebApplicationType.SERVLET, ServingApp.class, false).close();
      assertThat(lines.containing("shutting down")).isEmpty();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class ServingApp {
    @RestController
    static class Hello {
      @GetMapping("/hello")
      String hello() {
        return "hello";
      }
    }
  }
}
