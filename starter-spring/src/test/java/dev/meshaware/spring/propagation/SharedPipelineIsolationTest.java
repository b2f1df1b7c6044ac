package dev.meshaware.spring.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.spring.testing.Carried;
import dev.meshaware.spring.testing.Downstream;
import dev.meshaware.spring.testing.RunningApp;
import java.time.Duration;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One pipeline's signal reaching the subscribers of other pipelines, on Reactor Netty with the
 * starter alone: a {@code cache()}d {@code Mono} that request A subscribed first and request B
 * waits on too, the same built in a bean's constructor ({@code cacheInvalidateIf}), a {@code
 * share()}d {@code Flux}, a hot {@code Sinks.many()} sink that A emits into while B waits for the
 * event, and a {@code CompletableFuture} that A completes while B waits on it through {@code
 * Mono.fromFuture}. In each, the producing request's headers are current on the thread that
 * delivers to everyone; a blocking call in B's steps must carry B's headers (or none, for a request
 * without any), and a subscriber outside any request, waiting on the same publisher, none.
 */
class SharedPipelineIsolationTest {
  private static final AtomicInteger KEYS = new AtomicInteger();

  private static Downstream downstream;
  private static RunningApp app;
  private static ExecutorService senders;

  @BeforeAll
  static void start() {
    downstream = new Downstream();
    app = Carried.start(WebApplicationType.REACTIVE, SharingApp.class, downstream);
    senders = Executors.newFixedThreadPool(4);
  }

  @AfterAll
  static void stop() {
    senders.shutdownNow();
    app.close();
    downstream.close();
  }

  @ParameterizedTest(name = "{0}, the other request with headers: {1}")
  @CsvSource({
    "cached,true",
    "cached,false",
    "built,true",
    "built,false",
    "shared,true",
    "shared,false",
    "sink,true",
    "sink,false",
    "future,true",
    "future,false"
  })
  void eachSubscriberOfASharedPublisherCarriesItsOwnRequest(String kind, boolean withHeaders)
      throws Exception {
    String key = kind + "-" + KEYS.incrementAndGet();
    String first = "rid-first-" + key;
    String other = withHeaders ? "rid-other-" + key : null;
    SharingApp.Calls calls = app.context().getBean(SharingApp.Calls.class);
    boolean produced = kind.equals("sink") || kind.equals("future");

    Future<String> firstCall = null;
    if (!produced) { // the first request subscribes first and starts the shared work
      firstCall = send(kind, key, "/" + key + "-first", first);
      awaitSubscribers(calls, key, 1);
    }
    Future<String> otherCall = send(kind, key, "/" + key + "-other", other);
    awaitSubscribers(calls, key, produced ? 1 : 2);
    CompletableFuture<String> outside =
        calls.waiting(kind, key, "/" + key + "-outside").toFuture(); // subscribed on this thread
    awaitSubscribers(calls, key, produced ? 2 : 3);
    if (produced) { // the first request produces what the others wait for
      if (kind.equals("sink")) { // counted as they subscribe: the sink must hold both before
        awaitSinkSubscribers(calls, 2);
      }
      firstCall = send(kind + "-produce", key, "/" + key + "-first", first);
    }

    assertThat(firstCall.get(30, TimeUnit.SECONDS)).startsWith("down");
    assertThat(otherCall.get(30, TimeUnit.SECONDS)).startsWith("down");
    assertThat(outside.get(30, TimeUnit.SECONDS)).startsWith("down");
    Carried.check(downstream, "/" + key + "-first", first);
    Carried.check(downstream, "/" + key + "-other", other);
    Carried.check(downstream, "/" + key + "-outside", null);
  }

  /** Control: a blocking call in a pipeline that subscribes to nothing shared is unchanged. */
  @Test
  void aPipelineOfItsOwnStillCarriesItsRequest() throws Exception {
    String key = "own-" + KEYS.incrementAndGet();
    assertThat(send("own", key, "/" + key, "rid-" + key).get(30, TimeUnit.SECONDS))
        .startsWith("down");
    Carried.check(downstream, "/" + key, "rid-" + key);
  }

  private static Future<String> send(String kind, String key, String path, String requestId) {
    return senders.submit(
        () -> app.get("/" + kind + "/" + key + "?path=" + path, Carried.headers(requestId)).body());
  }

  private static void awaitSubscribers(SharingApp.Calls calls, String key, int count)
      throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (calls.subscribers(key) < count) {
      assertThat(System.nanoTime()).as(key + ": " + count + " subscribers").isLessThan(end);
      Thread.sleep(10);
    }
    Thread.sleep(50); // past the subscription, into the wait
  }

  /** Waits until the sink holds {@code count} subscribers (one added late misses the event). */
  private static void awaitSinkSubscribers(SharingApp.Calls calls, int count)
      throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (calls.events.currentSubscriberCount() < count) {
      assertThat(System.nanoTime()).as(count + " sink subscribers").isLessThan(end);
      Thread.sleep(10);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(SharingApp.Calls.class)
  static class SharingApp {

    @RestController
    public static class Calls {
      private static final Duration WORK = Duration.ofMillis(1500);

      private final RestClient restClient;
      private final String downstream;
      private final Map<String, AtomicInteger> subscribers = new ConcurrentHashMap<>();
      private final Map<String, Mono<String>> cached = new ConcurrentHashMap<>();
      private final Map<String, Flux<String>> shared = new ConcurrentHashMap<>();
      private final Map<String, CompletableFuture<String>> futures = new ConcurrentHashMap<>();
      final Sinks.Many<String> events = Sinks.many().multicast().directBestEffort();

      /** Assembled while the application starts, before any request: each value is used once. */
      private final Mono<String> built;

      public Calls(
          ObjectProvider<RestClient.Builder> boots,
          ObjectProvider<HeaderForwardingInterceptor> interceptor,
          Environment environment) {
        RestClient.Builder builder =
            boots.getIfAvailable(
                () -> RestClient.builder().requestInterceptor(interceptor.getObject()));
        this.restClient = builder.requestFactory(new JdkClientHttpRequestFactory()).build();
        this.downstream = environment.getProperty("app.downstream");
        this.built = Mono.delay(WORK).map(tick -> "built").cacheInvalidateIf(value -> true);
      }

      int subscribers(String key) {
        AtomicInteger count = subscribers.get(key);
        return count == null ? 0 : count.get();
      }

      /** What a subscriber of {@code kind} waits on, counted when subscribed. */
      private Mono<String> source(String kind, String key) {
        Mono<String> source;
        switch (kind) {
          case "cached":
            source = cached.computeIfAbsent(key, k -> Mono.delay(WORK).map(tick -> k).cache());
            break;
          case "built":
            source = built;
            break;
          case "shared":
            source =
                shared
                    .computeIfAbsent(key, k -> Mono.delay(WORK).map(tick -> k).flux().share())
                    .next();
            break;
          case "sink":
            source = events.asFlux().filter(key::equals).next();
            break;
          case "future":
            source = Mono.fromFuture(futures.computeIfAbsent(key, k -> new CompletableFuture<>()));
            break;
          case "own":
            source = Mono.delay(Duration.ofMillis(50)).map(tick -> key);
            break;
          default:
            throw new IllegalArgumentException(kind);
        }
        return source.doOnSubscribe(
            subscription ->
                subscribers.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet());
      }

      /** The blocking call made after what {@code kind} waits on arrived. */
      Mono<String> waiting(String kind, String key, String path) {
        return source(kind, key).map(value -> blocking(path));
      }

      @GetMapping("/{kind}/{key}")
      public Mono<String> wait(
          @PathVariable("kind") String kind,
          @PathVariable("key") String key,
          @RequestParam("path") String path) {
        return waiting(kind, key, path);
      }

      /** The producing request: emits or completes, then makes its own call. */
      @GetMapping("/sink-produce/{key}")
      public String emit(@PathVariable("key") String key, @RequestParam("path") String path) {
        events.tryEmitNext(key).orThrow();
        return blocking(path);
      }

      @GetMapping("/future-produce/{key}")
      public String complete(@PathVariable("key") String key, @RequestParam("path") String path) {
        futures.computeIfAbsent(key, k -> new CompletableFuture<>()).complete(key);
        return blocking(path);
      }

      private String blocking(String path) {
        return restClient.get().uri(downstream + path).retrieve().body(String.class);
      }
    }
  }
}
