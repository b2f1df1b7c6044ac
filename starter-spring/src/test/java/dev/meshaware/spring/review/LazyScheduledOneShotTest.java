package dev.meshaware.spring.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.spring.testing.Carried;
import dev.meshaware.spring.testing.Downstream;
import dev.meshaware.spring.testing.RunningApp;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.ConcurrentTaskScheduler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * Review: "{@code @Scheduled} never" carries headers. A {@code @Lazy} bean with a one-time
 * {@code @Scheduled(initialDelay = ...)} method (Spring 6.1+) made during a request is scheduled
 * there and then, on the request's thread, by {@code ScheduledAnnotationBeanPostProcessor}, through
 * the {@code ConcurrentTaskScheduler} bean's {@code schedule(Runnable, Instant)}: a one-shot, so it
 * carries the request that happened to first touch the bean.
 */
class LazyScheduledOneShotTest {
  private static Downstream downstream;
  private static RunningApp app;

  @BeforeAll
  static void start() {
    downstream = new Downstream();
    app = Carried.start(WebApplicationType.SERVLET, App.class, downstream);
  }

  @AfterAll
  static void stop() {
    app.close();
    downstream.close();
  }

  @Test
  void aScheduledMethodOfALazyBeanCarriesNoRequest() throws Exception {
    assertThat(app.get("/touch", Carried.headers("rid-touch")).body()).isEqualTo("touched");
    Carried.check(downstream, "/scheduled-once", null);
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @EnableScheduling
  @Import(App.Calls.class)
  static class App {
    @Bean
    ConcurrentTaskScheduler taskScheduler() {
      return new ConcurrentTaskScheduler(Executors.newSingleThreadScheduledExecutor());
    }

    @Bean
    @Lazy
    Job job(RestClient.Builder builder, Environment env) {
      return new Job(
          builder.requestFactory(new JdkClientHttpRequestFactory()).build(),
          env.getProperty("app.downstream"));
    }

    public static class Job {
      private final RestClient restClient;
      private final String downstream;

      Job(RestClient restClient, String downstream) {
        this.restClient = restClient;
        this.downstream = downstream;
      }

      @Scheduled(initialDelay = 100)
      public void once() {
        restClient.get().uri(downstream + "/scheduled-once").retrieve().body(String.class);
      }
    }

    @RestController
    public static class Calls {
      private final ObjectProvider<Job> job;

      public Calls(ObjectProvider<Job> job) {
        this.job = job;
      }

      @GetMapping("/touch")
      public String touch() {
        job.getObject();
        return "touched";
      }
    }
  }
}
