package dev.meshaware.spring.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.spring.propagation.HeaderForwardingTaskDecorator;
import dev.meshaware.spring.testing.Carried;
import dev.meshaware.spring.testing.Downstream;
import dev.meshaware.spring.testing.RunningApp;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.scheduling.concurrent.ConcurrentTaskScheduler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * Review: {@code ConcurrentTaskScheduler} beans whose decorator the application set itself.
 *
 * <p>(1) The application puts meshaware's public {@code new HeaderForwardingTaskDecorator()} on its
 * {@code ConcurrentTaskScheduler} (what meshaware's own WARNING tells it to do). The post-processor
 * sees one already there and keeps it, but that one is not {@code scheduledAhead}: it asks the task
 * whether it is a periodic {@code RunnableScheduledFuture}, which a ConcurrentTaskScheduler's task
 * never is (it decorates before scheduling). So a fixed-rate task scheduled during request A
 * carries A's headers on every run, although periodic work must carry nothing (default {@code
 * periodic=none}).
 *
 * <p>(2) The application sets its own decorator after start (an {@code ApplicationRunner}): ours is
 * gone and a one-shot task submitted during a request carries none (a gap).
 */
class ConcurrentSchedulerDecoratorTest {
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
  void periodicWorkOnASchedulerWithTheApplicationsOwnMeshawareDecoratorCarriesNothing()
      throws Exception {
    assertThat(app.get("/periodic/own", Carried.headers("rid-own")).body()).isEqualTo("scheduled");
    for (int run = 1; run <= 3; run++) {
      Carried.check(downstream, "/own-run-" + run, null);
    }
  }

  @Test
  void aOneShotTaskOnASchedulerWhoseDecoratorWasSetAfterStartCarriesItsRequest() throws Exception {
    assertThat(app.get("/once/late", Carried.headers("rid-late")).body()).isEqualTo("scheduled");
    Carried.check(downstream, "/late-once", "rid-late");
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(App.Calls.class)
  static class App {
    @Bean
    ConcurrentTaskScheduler own() {
      ConcurrentTaskScheduler scheduler =
          new ConcurrentTaskScheduler(Executors.newSingleThreadScheduledExecutor());
      scheduler.setTaskDecorator(new HeaderForwardingTaskDecorator());
      return scheduler;
    }

    @Bean
    ConcurrentTaskScheduler late() {
      return new ConcurrentTaskScheduler(Executors.newSingleThreadScheduledExecutor());
    }

    @Bean
    ApplicationRunner decorateLate(@Qualifier("late") ConcurrentTaskScheduler late) {
      return args -> late.setTaskDecorator(task -> task);
    }

    @RestController
    public static class Calls {
      private final RestClient restClient;
      private final String downstream;
      private final Map<String, ConcurrentTaskScheduler> schedulers;
      private final Map<String, ScheduledFuture<?>> futures = new ConcurrentHashMap<>();

      public Calls(
          RestClient.Builder builder,
          Environment env,
          Map<String, ConcurrentTaskScheduler> schedulers) {
        this.restClient = builder.requestFactory(new JdkClientHttpRequestFactory()).build();
        this.downstream = env.getProperty("app.downstream");
        this.schedulers = schedulers;
      }

      @GetMapping("/periodic/{bean}")
      public String periodic(@PathVariable("bean") String bean) {
        AtomicInteger runs = new AtomicInteger();
        futures.put(
            bean,
            schedulers
                .get(bean)
                .scheduleAtFixedRate(
                    () -> {
                      int run = runs.incrementAndGet();
                      if (run <= 3) {
                        blocking("/" + bean + "-run-" + run);
                      } else {
                        futures.get(bean).cancel(false);
                      }
                    },
                    Duration.ofMillis(150)));
        return "scheduled";
      }

      @GetMapping("/once/{bean}")
      public String once(@PathVariable("bean") String bean) {
        schedulers.get(bean).execute(() -> blocking("/" + bean + "-once"));
        return "scheduled";
      }

      private String blocking(String path) {
        return restClient.get().uri(downstream + path).retrieve().body(String.class);
      }
    }
  }
}
