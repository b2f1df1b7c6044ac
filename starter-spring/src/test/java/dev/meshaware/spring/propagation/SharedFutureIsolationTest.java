package dev.meshaware.spring.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.spring.testing.Carried;
import dev.meshaware.spring.testing.Downstream;
import dev.meshaware.spring.testing.RunningApp;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * A {@code CompletableFuture} one request's work completes, with callbacks other requests
 * registered on it, in a Spring MVC application on Tomcat with the starter alone: completed by a
 * task request A submitted to a one-thread {@code ThreadPoolTaskExecutor} bean ({@code
 * submitCompletable}), and completed by A's own servlet thread. The callbacks run on the completing
 * thread, inside A's scope; without the agent their registrar is not known, so a call they make
 * must carry none of A's headers (it carries none), while A's own calls, a task's own call, and a
 * callback run at registration (the future already complete) carry exactly their request's.
 */
class SharedFutureIsolationTest {
  private static final AtomicInteger KEYS = new AtomicInteger();

  private static Downstream downstream;
  private static RunningApp app;
  private static ExecutorService senders;

  @BeforeAll
  static void start() {
    downstream = new Downstream();
    app = Carried.start(WebApplicationType.SERVLET, FutureApp.class, downstream);
    senders = Executors.newFixedThreadPool(4);
  }

  @AfterAll
  static void stop() {
    senders.shutdownNow();
    app.close();
    downstream.close();
  }

  @Test
  void callbacksAnotherRequestsTaskCompletesCarryNoneOfItsHeaders() throws Exception {
    String key = "task-" + KEYS.incrementAndGet();
    FutureApp.Calls calls = app.context().getBean(FutureApp.Calls.class);
    Future<String> first = send("/submit/" + key + "?path=/" + key + "-task", "rid-a-" + key);
    await(calls, key, 1);
    Future<String> other = send("/then/" + key + "?path=/" + key + "-other", "rid-b-" + key);
    Future<String> async = send("/then-async/" + key + "?path=/" + key + "-async", "rid-c-" + key);
    await(calls, key, 3);
    calls.release(key);
    for (Future<String> each : new Future[] {first, other, async}) {
      assertThat(each.get(30, TimeUnit.SECONDS)).startsWith("down");
    }
    Carried.check(downstream, "/" + key + "-task", "rid-a-" + key); // the task's own call
    Carried.check(downstream, "/" + key + "-other", null);
    Carried.check(downstream, "/" + key + "-async", null);
  }

  @Test
  void callbacksAnotherRequestsThreadCompletesCarryNoneOfItsHeaders() throws Exception {
    String key = "thread-" + KEYS.incrementAndGet();
    FutureApp.Calls calls = app.context().getBean(FutureApp.Calls.class);
    Future<String> other = send("/wait/" + key + "?path=/" + key + "-other", "rid-b-" + key);
    await(calls, key, 1);
    Future<String> completer =
        send("/complete/" + key + "?path=/" + key + "-completer", "rid-a-" + key);
    assertThat(completer.get(30, TimeUnit.SECONDS)).startsWith("down");
    assertThat(other.get(30, TimeUnit.SECONDS)).startsWith("down");
    Carried.check(downstream, "/" + key + "-completer", "rid-a-" + key);
    Carried.check(downstream, "/" + key + "-other", null);
  }

  /** Control: a callback run where it is registered (the future done already) is its request's. */
  @Test
  void aCallbackRunAtRegistrationCarriesItsRequest() throws Exception {
    String key = "done-" + KEYS.incrementAndGet();
    assertThat(send("/done/" + key + "?path=/" + key, "rid-" + key).get(30, TimeUnit.SECONDS))
        .startsWith("down");
    Carried.check(downstream, "/" + key, "rid-" + key);
  }

  private static Future<String> send(String target, String requestId) {
    return senders.submit(() -> app.get(target, Carried.headers(requestId)).body());
  }

  private static void await(FutureApp.Calls calls, String key, int count)
      throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (calls.registered(key) < count) {
      assertThat(System.nanoTime()).as(key + ": " + count + " registered").isLessThan(end);
      Thread.sleep(10);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(FutureApp.Calls.class)
  static class FutureApp {
    @Bean
    ThreadPoolTaskExecutor oneThread() {
      ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
      executor.setCorePoolSize(1);
      executor.setMaxPoolSize(1);
      executor.setThreadNamePrefix("one-");
      return executor;
    }

    @RestController
    public static class Calls {
      private final ThreadPoolTaskExecutor executor;
      private final RestClient restClient;
      private final String downstream;
      private final Map<String, CompletableFuture<String>> futures = new ConcurrentHashMap<>();
      private final Map<String, CompletableFuture<Void>> gates = new ConcurrentHashMap<>();
      private final Map<String, AtomicInteger> registered = new ConcurrentHashMap<>();

      public Calls(
          ThreadPoolTaskExecutor oneThread, RestClient.Builder builder, Environment environment) {
        this.executor = oneThread;
        this.restClient = builder.requestFactory(new JdkClientHttpRequestFactory()).build();
        this.downstream = environment.getProperty("app.downstream");
      }

      int registered(String key) {
        AtomicInteger count = registered.get(key);
        return count == null ? 0 : count.get();
      }

      void release(String key) {
        gates.computeIfAbsent(key, k -> new CompletableFuture<>()).complete(null);
      }

      private CompletableFuture<String> future(String key) {
        return futures.computeIfAbsent(key, k -> new CompletableFuture<>());
      }

      private void count(String key) {
        registered.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      }

      /** Request A: a task on the one-thread pool makes its own call, then completes the future. */
      @GetMapping("/submit/{key}")
      public String submit(@PathVariable("key") String key, @RequestParam("path") String path) {
        CompletableFuture<Void> gate = gates.computeIfAbsent(key, k -> new CompletableFuture<>());
        CompletableFuture<String> task =
            executor.submitCompletable(
                () -> {
                  gate.join();
                  return call(path);
                });
        futures.put(key, task);
        count(key);
        return task.join();
      }

      /** Request B: a callback on A's future. */
      @GetMapping("/then/{key}")
      public String then(@PathVariable("key") String key, @RequestParam("path") String path) {
        CompletableFuture<String> done = future(key).thenApply(value -> call(path));
        count(key);
        return done.join();
      }

      /** Request C: an asynchronous stage on the same pool, fired by A's completion. */
      @GetMapping("/then-async/{key}")
      public String thenAsync(@PathVariable("key") String key, @RequestParam("path") String path) {
        CompletableFuture<String> done = future(key).thenApplyAsync(value -> call(path), executor);
        count(key);
        return done.join();
      }

      /** Request D: a callback on A's future that hands a task to the pool. */
      @GetMapping("/then-submit/{key}")
      public String thenSubmit(@PathVariable("key") String key, @RequestParam("path") String path) {
        CompletableFuture<String> done = new CompletableFuture<>();
        future(key).thenAccept(value -> executor.execute(() -> done.complete(call(path))));
        count(key);
        return done.join();
      }

      /** Request B: waits on a future another request's thread completes. */
      @GetMapping("/wait/{key}")
      public String waitFor(@PathVariable("key") String key, @RequestParam("path") String path) {
        CompletableFuture<String> done = future(key).thenApply(value -> call(path));
        count(key);
        return done.join();
      }

      /** Request A: completes the future on its own thread, then makes its own call. */
      @GetMapping("/complete/{key}")
      public String complete(@PathVariable("key") String key, @RequestParam("path") String path) {
        future(key).complete(key);
        return call(path);
      }

      @GetMapping("/done/{key}")
      public String done(@PathVariable("key") String key, @RequestParam("path") String path) {
        return CompletableFuture.completedFuture(key).thenApply(value -> call(path)).join();
      }

      private String call(String path) {
        return restClient.get().uri(downstream + path).retrieve().body(String.class);
      }
    }
  }
}
