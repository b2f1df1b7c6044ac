package dev.meshaware.spring.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.meshaware.spring.testing.Carried;
import dev.meshaware.spring.testing.Downstream;
import dev.meshaware.spring.testing.RunningApp;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.ConcurrentTaskScheduler;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.support.PeriodicTrigger;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * Scheduled work on the {@code ThreadPoolTaskScheduler} Spring Boot builds for
 * {@code @EnableScheduling}, with one thread, so that a {@code @Scheduled} method, periodic tasks
 * scheduled during requests and one-shot tasks all take turns on it. Periodic work (fixed rate,
 * fixed delay, a {@code Trigger}'s runs) carries nothing by default, and the headers of the request
 * that scheduled it on every run under {@code meshaware.propagation.periodic=inherit}; a
 * {@code @Scheduled} method has no request in either mode; a one-shot task carries its request's in
 * both.
 */
class ScheduledWorkTest {
  private static final String[] PERIODIC = {"rate", "delay", "trigger"};

  /** Which scheduler the application schedules on. */
  private enum Kind {
    /** The {@code ThreadPoolTaskScheduler} Spring Boot builds. */
    POOL,
    /** A {@code SimpleAsyncTaskScheduler} of the application's own (platform threads). */
    SIMPLE,
    /** The {@code SimpleAsyncTaskScheduler} Spring Boot builds with virtual threads. */
    VIRTUAL,
    /**
     * A {@code ConcurrentTaskScheduler} of the application's own, around a plain one-thread {@code
     * ScheduledExecutorService}: it decorates a task before scheduling it.
     */
    CONCURRENT
  }

  @Test
  void periodicWorkCarriesNothingByDefault() throws Exception {
    exercise(false, Kind.POOL);
  }

  @Test
  void periodicWorkScheduledDuringARequestCarriesItsHeadersOnEveryRunUnderInherit()
      throws Exception {
    exercise(true, Kind.POOL);
  }

  /**
   * {@code SimpleAsyncTaskScheduler} hands each run to its executor from a trigger thread of its
   * own, made lazily while the first request schedules: that thread is a worker, so no run ever
   * carries a request that is not its own (README, known limits: nor its own).
   */
  @Test
  void aSimpleAsyncTaskSchedulerNeverCarriesAnotherRequestsHeaders() throws Exception {
    exercise(false, Kind.SIMPLE);
  }

  @Test
  void aConcurrentTaskSchedulersPeriodicWorkCarriesNothingByDefault() throws Exception {
    exercise(false, Kind.CONCURRENT);
  }

  @Test
  void aConcurrentTaskSchedulersPeriodicWorkCarriesItsRequestUnderInherit() throws Exception {
    exercise(true, Kind.CONCURRENT);
  }

  @Test
  void bootsVirtualThreadSchedulerNeverCarriesAnotherRequestsHeaders() throws Exception {
    assumeTrue(Runtime.version().feature() >= 21, "virtual threads need Java 21");
    exercise(false, Kind.VIRTUAL);
  }

  private static void exercise(boolean inherit, Kind kind) throws Exception {
    String mode = (inherit ? "inherit" : "none") + "-" + kind.name().toLowerCase(Locale.ROOT);
    try (Downstream downstream = new Downstream();
        RunningApp app =
            Carried.start(
                WebApplicationType.SERVLET,
                ScheduledApp.class,
                downstream,
                "meshaware.propagation.periodic=" + (inherit ? "inherit" : "none"),
                "spring.task.scheduling.pool.size=1",
                "app.simple-scheduler=" + (kind == Kind.SIMPLE),
                "app.concurrent-scheduler=" + (kind == Kind.CONCURRENT),
                "spring.threads.virtual.enabled=" + (kind == Kind.VIRTUAL))) {
      ScheduledApp.Calls calls = app.context().getBean(ScheduledApp.Calls.class);
      assertThat(calls.scheduler)
          .isInstanceOf(
              switch (kind) {
                case POOL -> ThreadPoolTaskScheduler.class;
                case CONCURRENT -> ConcurrentTaskScheduler.class;
                default -> SimpleAsyncTaskScheduler.class;
              });
      for (String periodic : PERIODIC) {
        String owned = mode + "-" + periodic + "-owned";
        String bare = mode + "-" + periodic + "-bare";
        assertThat(get(app, "/periodic/" + periodic + "?id=" + owned, "rid-" + owned))
            .isEqualTo("scheduled");
        assertThat(get(app, "/periodic/" + periodic + "?id=" + bare, null)).isEqualTo("scheduled");
        // One-shot work in between, on the same thread: its own request's headers, or none.
        String once = mode + "-" + periodic + "-once";
        assertThat(get(app, "/once?path=/" + once, "rid-" + once)).startsWith("down@scheduling-");
        assertThat(get(app, "/once?path=/" + once + "-bare", null)).startsWith("down@scheduling-");
        CompletableFuture<String> outside = new CompletableFuture<>();
        calls.scheduler.schedule(
            () -> outside.complete(calls.call("/" + once + "-outside")),
            Instant.now().plusMillis(5));
        assertThat(outside.get(30, TimeUnit.SECONDS)).startsWith("down@scheduling-");

        for (int run = 1; run <= ScheduledApp.RUNS; run++) {
          Carried.check(downstream, "/" + owned + "-" + run, inherit ? "rid-" + owned : null);
          Carried.check(downstream, "/" + bare + "-" + run, null);
        }
        if (kind == Kind.POOL || kind == Kind.CONCURRENT) {
          Carried.check(downstream, "/" + once, "rid-" + once);
        } else {
          assertThat(Downstream.values(downstream.received("/" + once), "x-request-id"))
              .as("/" + once + ": its own request's id or none")
              .isSubsetOf("rid-" + once);
        }
        Carried.check(downstream, "/" + once + "-bare", null);
        Carried.check(downstream, "/" + once + "-outside", null);
      }
      // The @Scheduled method ran between all of these on the same thread: never any headers.
      int ticks = calls.ticks.get();
      assertThat(ticks).isGreaterThanOrEqualTo(2);
      for (int tick = 1; tick <= ticks; tick++) {
        Carried.check(downstream, "/tick-" + tick, null);
      }
    }
  }

  private static String get(RunningApp app, String path, String requestId) throws Exception {
    return app.get(path, Carried.headers(requestId)).body();
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @EnableScheduling
  @Import(ScheduledApp.Calls.class)
  static class ScheduledApp {
    /** How often each periodic task runs before it cancels itself. */
    static final int RUNS = 3;

    /** The application's own scheduler, when the test asks for one (Boot then builds none). */
    @Bean
    @ConditionalOnProperty(name = "app.simple-scheduler", havingValue = "true")
    SimpleAsyncTaskScheduler taskScheduler() {
      SimpleAsyncTaskScheduler scheduler = new SimpleAsyncTaskScheduler();
      scheduler.setThreadNamePrefix("scheduling-");
      return scheduler;
    }

    /** The application's own scheduler around a plain ScheduledExecutorService, when asked. */
    @Bean
    @ConditionalOnProperty(name = "app.concurrent-scheduler", havingValue = "true")
    ConcurrentTaskScheduler concurrentScheduler() {
      return new ConcurrentTaskScheduler(
          java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
              runnable -> new Thread(runnable, "scheduling-1")));
    }

    /** How many runs of the @Scheduled method call out (enough to run between the requests). */
    static final int TICKS = 40;

    @RestController
    public static class Calls {
      final AtomicInteger ticks = new AtomicInteger();
      final TaskScheduler scheduler;
      private final RestClient restClient;
      private final String downstream;

      public Calls(
          RestClient.Builder restClient, Environment environment, TaskScheduler scheduler) {
        this.restClient = restClient.build();
        this.downstream = environment.getProperty("app.downstream");
        this.scheduler = scheduler;
      }

      String call(String path) {
        return restClient.get().uri(downstream + path).retrieve().body(String.class)
            + "@"
            + Thread.currentThread().getName();
      }

      /** Registered at start, outside any request; calls out on its first TICKS runs. */
      @Scheduled(fixedDelay = 20)
      public void tick() {
        if (ticks.get() < TICKS) {
          call("/tick-" + ticks.incrementAndGet());
        }
      }

      /** Schedules a periodic task that calls /{id}-1, /{id}-2... and stops after RUNS runs. */
      @GetMapping("/periodic/{kind}")
      public String periodic(@PathVariable("kind") String kind, @RequestParam("id") String id)
          throws Exception {
        AtomicInteger runs = new AtomicInteger();
        AtomicReference<ScheduledFuture<?>> future = new AtomicReference<>();
        CompletableFuture<ScheduledFuture<?>> scheduled = new CompletableFuture<>();
        Runnable task =
            () -> {
              int run = runs.incrementAndGet();
              if (run <= RUNS) {
                call("/" + id + "-" + run);
              }
              if (run >= RUNS) {
                scheduled.join().cancel(false);
              }
            };
        Duration every = Duration.ofMillis(15);
        switch (kind) {
          case "rate":
            future.set(scheduler.scheduleAtFixedRate(task, every));
            break;
          case "delay":
            future.set(scheduler.scheduleWithFixedDelay(task, every));
            break;
          case "trigger":
            future.set(scheduler.schedule(task, new PeriodicTrigger(every)));
            break;
          default:
            throw new IllegalArgumentException(kind);
        }
        scheduled.complete(future.get());
        return "scheduled";
      }

      @GetMapping("/once")
      public String once(@RequestParam("path") String path) throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        scheduler.schedule(() -> answer.complete(call(path)), Instant.now().plusMillis(5));
        return answer.get(30, TimeUnit.SECONDS);
      }
    }
  }
}
