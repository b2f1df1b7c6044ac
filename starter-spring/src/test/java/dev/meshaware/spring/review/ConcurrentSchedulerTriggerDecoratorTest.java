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
import org.springframework.scheduling.support.PeriodicTrigger;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * Review: a {@code ConcurrentTaskScheduler} hands a {@code Trigger}'s task to its decorator as the
 * application's plain {@code Runnable}, before scheduling; only the {@code scheduledAhead()} form
 * looks at the scheduling method. The public {@code new HeaderForwardingTaskDecorator(...)} is not
 * that form.
 *
 * <p>(1) The application sets {@code new HeaderForwardingTaskDecorator(yours)} on its
 * ConcurrentTaskScheduler bean after start (an {@code ApplicationRunner}: what meshaware's INFO
 * line tells it to do). {@code composeAgain} sees "one of ours" and returns without switching it to
 * the scheduledAhead form (compose() does switch). A Trigger task scheduled during request A
 * carries A's headers on every run, under the default {@code periodic=none}.
 *
 * <p>(2) The same with a ConcurrentTaskScheduler that is not a bean (README: "an application may
 * also set one on an executor it does not expose as a bean").
 */
class ConcurrentSchedulerTriggerDecoratorTest {
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
  void triggerWorkOnABeanWhoseMeshawareDecoratorWasSetAfterStartCarriesNothing() throws Exception {
    assertThat(app.get("/trigger/lateOwn", Carried.headers("rid-late-own")).body())
        .isEqualTo("scheduled");
    for (int run = 1; run <= 3; run++) {
      Carried.check(downstream, "/lateOwn-run-" + run, null);
    }
  }

  @Test
  void triggerWorkOnANonBeanSchedulerWithThePublicDecoratorCarriesNothing() throws Exception {
    assertThat(app.get("/trigger/adhoc", Carried.headers("rid-adhoc")).body())
        .isEqualTo("scheduled");
    for (int run = 1; run <= 3; run++) {
      Carried.check(downstream, "/adhoc-run-" + run, null);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(App.Calls.class)
  static class App {
    @Bean
    ConcurrentTaskScheduler lateOwn() {
      return new ConcurrentTaskScheduler(Executors.newSingleThreadScheduledExecutor());
    }

    @Bean
    ApplicationRunner decorateLateOwn(@Qualifier("lateOwn") ConcurrentTaskScheduler lateOwn) {
      return args -> lateOwn.setTaskDecorator(new HeaderForwardingTaskDecorator(task -> task));
    }

    @RestController
    public static class Calls {
      private final RestClient restClient;
      private final String downstream;
      private final Map<String, ConcurrentTaskScheduler> schedulers = new ConcurrentHashMap<>();
      private final Map<String, ScheduledFuture<?>> futures = new ConcurrentHashMap<>();

      public Calls(
          RestClient.Builder builder,
          Environment env,
          @Qualifier("lateOwn") ConcurrentTaskScheduler lateOwn) {
        this.restClient = builder.requestFactory(new JdkClientHttpRequestFactory()).build();
        this.downstream = env.getProperty("app.downstream");
        schedulers.put("lateOwn", lateOwn);
        ConcurrentTaskScheduler adhoc =
            new ConcurrentTaskScheduler(Executors.newSingleThreadScheduledExecutor());
        adhoc.setTaskDecorator(new HeaderForwardingTaskDecorator());
        schedulers.put("adhoc", adhoc);
      }

      @GetMapping("/trigger/{bean}")
      public String trigger(@PathVariable("bean") String bean) {
        AtomicInteger runs = new AtomicInteger();
        futures.put(
            bean,
            schedulers
                .get(bean)
                .schedule(
                    () -> {
                      int run = runs.incrementAndGet();
                      if (run <= 3) {
                        restClient
                            .get()
                            .uri(downstream + "/" + bean + "-run-" + run)
                            .retrieve()
                            .body(String.class);
                      } else {
                        futures.get(bean).cancel(false);
                      }
                    },
                    new PeriodicTrigger(Duration.ofMillis(100))));
        return "scheduled";
      }
    }
  }
}
