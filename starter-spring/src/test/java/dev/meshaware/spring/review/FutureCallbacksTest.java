package dev.meshaware.spring.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.spring.testing.Carried;
import dev.meshaware.spring.testing.Downstream;
import dev.meshaware.spring.testing.Inbound;
import dev.meshaware.spring.testing.RunningApp;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
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
 * Future callbacks with the starter alone (kept from the attack review of {@code
 * CompletionCallbacks}), in a Spring MVC application on Tomcat: callbacks another request's
 * completion runs, at depth (70 frames to the call, 40 to a task's submission), through {@code
 * allOf}, an {@code @Async} method, an {@code @Async} event listener, a {@code WebClient} blocked
 * on in them, carry none; a request's own work ({@code supplyAsync}, {@code @Async}, its own {@code
 * WebClient}) carries its own. A request's own callback fired by its own future's completion
 * carries none too: its registrar is not known without the agent (README, "Futures with the starter
 * alone"), and a missing header is chosen over a possibly wrong one.
 */
class FutureCallbacksTest {
  private static final AtomicInteger KEYS = new AtomicInteger();
  private static Downstream downstream;
  private static RunningApp app;
  private static ExecutorService senders;

  @BeforeAll
  static void start() {
    downstream = new Downstream();
    app =
        RunningApp.start(
            WebApplicationType.SERVLET,
            App.class,
            false,
            "app.downstream=" + downstream.url(),
            "meshaware.propagation.extra-headers=" + Inbound.EXTRA);
    senders = Executors.newFixedThreadPool(4);
  }

  @AfterAll
  static void stop() {
    senders.shutdownNow();
    app.close();
    downstream.close();
  }

  static void check(String path, String rid) throws Exception {
    Carried.check(downstream, path, rid);
  }

  private static Future<String> send(String target, String rid) {
    return senders.submit(() -> app.get(target, Carried.headers(rid)).body());
  }

  private static void await(App.Calls calls, String key, int count) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (calls.registered(key) < count) {
      assertThat(System.nanoTime()).as(key + " registered").isLessThan(end);
      Thread.sleep(10);
    }
    Thread.sleep(50);
  }

  /**
   * (c) A request's own stage fired by its own task's completion: was carried before the change.
   */
  @Test
  void ownStageAfterOwnTaskCarriesNone() throws Exception {
    String key = "own-task-" + KEYS.incrementAndGet();
    assertThat(send("/own-task?path=/" + key, "rid-" + key).get(30, TimeUnit.SECONDS))
        .startsWith("down");
    check("/" + key, null);
  }

  /** (c) A request completing its own future on its own thread: its own callback. */
  @Test
  void ownStageSameThreadCarriesNone() throws Exception {
    String key = "own-thread-" + KEYS.incrementAndGet();
    assertThat(send("/own-thread?path=/" + key, "rid-" + key).get(30, TimeUnit.SECONDS))
        .startsWith("down");
    check("/" + key, null);
  }

  /** (c) supplyAsync on a Spring executor. */
  @Test
  void supplyAsyncCarriesOwnHeaders() throws Exception {
    String key = "supply-" + KEYS.incrementAndGet();
    assertThat(send("/supply?path=/" + key, "rid-" + key).get(30, TimeUnit.SECONDS))
        .startsWith("down");
    check("/" + key, "rid-" + key);
  }

  /** (a) B's callback, A completes; the call is 70 frames below the callback. */
  @Test
  void deepCallbackInAnotherCompletionCarriesNone() throws Exception {
    String key = "deep-" + KEYS.incrementAndGet();
    assertThat(anotherCompletes(key, "/wait-deep/" + key + "?"))
        .allMatch(a -> a.startsWith("down"));
    check("/" + key + "-other", null);
  }

  /** (a) B's callback hands a task to the Spring pool 40 frames below the callback. */
  @Test
  void deepSubmitInAnotherCompletionCarriesNone() throws Exception {
    String key = "deepsubmit-" + KEYS.incrementAndGet();
    assertThat(anotherCompletes(key, "/wait-deep-submit/" + key + "?"))
        .allMatch(a -> a.startsWith("down"));
    check("/" + key + "-other", null);
  }

  /** (a) allOf over A's future, B's callback. */
  @Test
  void allOfCallbackCarriesNone() throws Exception {
    String key = "allof-" + KEYS.incrementAndGet();
    assertThat(anotherCompletes(key, "/wait-allof/" + key + "?"))
        .allMatch(a -> a.startsWith("down"));
    check("/" + key + "-other", null);
    check("/" + key + "-a", "rid-a-" + key);
  }

  /**
   * Another request's callback calls 0 to 96 frames below the callback, or hands a task to the pool
   * 0 to 48 frames below it: none at any depth (the walk looks 128 frames up from a call, 64 from a
   * submission; past that the completer's headers still go: README).
   */
  @Test
  void noDepthWithinTheWalksBoundLeaks() throws Exception {
    StringBuilder out = new StringBuilder();
    for (String kind : new String[] {"call", "submit"}) {
      for (int depth = 0; depth <= (kind.equals("call") ? 96 : 48); depth += 4) {
        String key = "probe-" + kind + "-" + depth + "-" + KEYS.incrementAndGet();
        anotherCompletes(key, "/wait-probe/" + key + "?kind=" + kind + "&depth=" + depth + "&");
        var values = Downstream.values(downstream.received("/" + key + "-other"), "x-request-id");
        if (!values.isEmpty()) {
          out.append(kind).append(": leaks from depth ").append(depth).append('\n');
          break;
        }
      }
    }
    assertThat(out.toString()).as("depths at which the completer's headers leak").isEmpty();
  }

  /** (a) B's callback calls an @Async method (Spring proxy) on the pool. */
  @Test
  void asyncMethodFromAnotherCompletionCarriesNone() throws Exception {
    viaCallback("async");
  }

  /** (a) B's callback publishes an event an @Async @EventListener handles on the pool. */
  @Test
  void asyncListenerFromAnotherCompletionCarriesNone() throws Exception {
    viaCallback("event");
  }

  /** (c) control: @Async straight from a request carries its headers. */
  @Test
  void asyncMethodFromRequestCarriesOwn() throws Exception {
    String key = "async-own-" + KEYS.incrementAndGet();
    send("/async-own?path=/" + key, "rid-" + key).get(30, TimeUnit.SECONDS);
    check("/" + key, "rid-" + key);
  }

  /** (a) WebClient in Spring MVC, blocked on inside B's callback that A's completion runs. */
  @Test
  void webClientBlockInAnotherCompletionCarriesNone() throws Exception {
    viaCallback("webclient");
  }

  /** (c) control: WebClient blocked on in the request's own thread. */
  @Test
  void webClientOwnCarriesOwn() throws Exception {
    String key = "wc-own-" + KEYS.incrementAndGet();
    send("/wc-own?path=/" + key, "rid-" + key).get(30, TimeUnit.SECONDS);
    check("/" + key, "rid-" + key);
  }

  private void viaCallback(String kind) throws Exception {
    String key = "via-" + kind + "-" + KEYS.incrementAndGet();
    anotherCompletes(key, "/wait-via/" + key + "?kind=" + kind + "&");
    check("/" + key + "-other", null);
  }

  /**
   * Request B ({@code rid-b-key}) registers a callback at {@code waitAt} (ending in its query's "?"
   * or "&amp;") and waits; request A ({@code rid-a-key}) completes the future; A's and B's answers.
   * B's callback calls {@code /key-other}, A calls {@code /key-a}.
   */
  private static String[] anotherCompletes(String key, String waitAt) throws Exception {
    App.Calls calls = app.context().getBean(App.Calls.class);
    Future<String> other = send(waitAt + "path=/" + key + "-other", "rid-b-" + key);
    await(calls, key, 1);
    String a =
        send("/complete/" + key + "?path=/" + key + "-a", "rid-a-" + key).get(30, TimeUnit.SECONDS);
    return new String[] {a, other.get(30, TimeUnit.SECONDS)};
  }

  public record CallEvent(String path, CompletableFuture<String> done) {}

  public static class AsyncWork {
    private RestClient restClient;
    private String downstream;

    public void init(RestClient restClient, String downstream) {
      this.restClient = restClient;
      this.downstream = downstream;
    }

    @org.springframework.scheduling.annotation.Async("pool")
    public CompletableFuture<String> work(String path) {
      return CompletableFuture.completedFuture(
          restClient.get().uri(downstream + path).retrieve().body(String.class));
    }

    @org.springframework.scheduling.annotation.Async("pool")
    @org.springframework.context.event.EventListener
    public void on(CallEvent event) {
      event
          .done()
          .complete(restClient.get().uri(downstream + event.path()).retrieve().body(String.class));
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @org.springframework.scheduling.annotation.EnableAsync
  @Import(App.Calls.class)
  static class App {
    @Bean
    AsyncWork asyncWork() {
      return new AsyncWork();
    }

    @Bean
    ThreadPoolTaskExecutor pool() {
      ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
      executor.setCorePoolSize(2);
      executor.setMaxPoolSize(2);
      executor.setThreadNamePrefix("pool-");
      return executor;
    }

    @RestController
    public static class Calls {
      private final ThreadPoolTaskExecutor executor;
      private final RestClient restClient;
      private final String downstream;
      private final Map<String, CompletableFuture<String>> futures = new ConcurrentHashMap<>();
      private final Map<String, AtomicInteger> registered = new ConcurrentHashMap<>();

      private final AsyncWork work;
      private final org.springframework.web.reactive.function.client.WebClient webClient;

      @GetMapping("/wc-own")
      public String wcOwn(@RequestParam("path") String path) {
        return webClient.get().uri(downstream + path).retrieve().bodyToMono(String.class).block();
      }

      private final org.springframework.context.ApplicationEventPublisher events;

      public Calls(
          ThreadPoolTaskExecutor pool,
          RestClient.Builder builder,
          Environment env,
          AsyncWork work,
          org.springframework.context.ApplicationEventPublisher events,
          org.springframework.web.reactive.function.client.WebClient.Builder webClients) {
        this.webClient = webClients.build();
        this.executor = pool;
        this.restClient = builder.requestFactory(new JdkClientHttpRequestFactory()).build();
        this.downstream = env.getProperty("app.downstream");
        this.work = work;
        this.events = events;
        work.init(restClient, downstream);
      }

      @GetMapping("/async-own")
      public String asyncOwn(@RequestParam("path") String path) {
        return work.work(path).join();
      }

      @GetMapping("/wait-via/{key}")
      public String waitVia(
          @PathVariable("key") String key,
          @RequestParam("kind") String kind,
          @RequestParam("path") String path) {
        CompletableFuture<String> done = new CompletableFuture<>();
        future(key)
            .thenAccept(
                v -> {
                  if (kind.equals("webclient")) {
                    done.complete(
                        webClient
                            .get()
                            .uri(downstream + path)
                            .retrieve()
                            .bodyToMono(String.class)
                            .block());
                  } else if (kind.equals("async")) {
                    work.work(path).thenAccept(done::complete);
                  } else {
                    events.publishEvent(new CallEvent(path, done));
                  }
                });
        count(key);
        return done.join();
      }

      int registered(String key) {
        AtomicInteger c = registered.get(key);
        return c == null ? 0 : c.get();
      }

      private void count(String key) {
        registered.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      }

      private CompletableFuture<String> future(String key) {
        return futures.computeIfAbsent(key, k -> new CompletableFuture<>());
      }

      static <T> T deep(int n, Supplier<T> work) {
        return n == 0 ? work.get() : deep(n - 1, work);
      }

      @GetMapping("/own-task")
      public String ownTask(@RequestParam("path") String path) {
        // The task completes only once the stage is registered (not after a sleep that a busy
        // machine may outlast): the stage then runs on the pool's thread, fired by the completion.
        CompletableFuture<Void> registered = new CompletableFuture<>();
        CompletableFuture<String> done =
            executor
                .submitCompletable(
                    () -> {
                      registered.get(30, TimeUnit.SECONDS);
                      return "x";
                    })
                .thenApply(v -> call(path));
        registered.complete(null);
        return done.join();
      }

      @GetMapping("/own-thread")
      public String ownThread(@RequestParam("path") String path) {
        CompletableFuture<String> cf = new CompletableFuture<>();
        CompletableFuture<String> done = cf.thenApply(v -> call(path));
        cf.complete("x");
        return done.join();
      }

      @GetMapping("/supply")
      public String supply(@RequestParam("path") String path) {
        return CompletableFuture.supplyAsync(() -> call(path), executor).join();
      }

      @GetMapping("/wait-deep/{key}")
      public String waitDeep(@PathVariable("key") String key, @RequestParam("path") String path) {
        CompletableFuture<String> done = future(key).thenApply(v -> deep(70, () -> call(path)));
        count(key);
        return done.join();
      }

      @GetMapping("/wait-deep-submit/{key}")
      public String waitDeepSubmit(
          @PathVariable("key") String key, @RequestParam("path") String path) {
        CompletableFuture<String> done = new CompletableFuture<>();
        future(key)
            .thenAccept(
                v ->
                    deep(
                        40,
                        () -> {
                          executor.execute(() -> done.complete(call(path)));
                          return null;
                        }));
        count(key);
        return done.join();
      }

      @GetMapping("/wait-probe/{key}")
      public String waitProbe(
          @PathVariable("key") String key,
          @RequestParam("kind") String kind,
          @RequestParam("depth") int depth,
          @RequestParam("path") String path) {
        CompletableFuture<String> done = new CompletableFuture<>();
        future(key)
            .thenAccept(
                v ->
                    deep(
                        depth,
                        () -> {
                          if (kind.equals("call")) {
                            done.complete(call(path));
                          } else {
                            executor.execute(() -> done.complete(call(path)));
                          }
                          return null;
                        }));
        count(key);
        return done.join();
      }

      @GetMapping("/wait-allof/{key}")
      public String waitAllOf(@PathVariable("key") String key, @RequestParam("path") String path) {
        CompletableFuture<String> done =
            CompletableFuture.allOf(future(key), CompletableFuture.completedFuture("y"))
                .thenApply(v -> call(path));
        count(key);
        return done.join();
      }

      @GetMapping("/complete/{key}")
      public String complete(@PathVariable("key") String key, @RequestParam("path") String path) {
        future(key).complete(key);
        return call(path);
      }

      private String call(String path) {
        return restClient.get().uri(downstream + path).retrieve().body(String.class);
      }
    }
  }
}
