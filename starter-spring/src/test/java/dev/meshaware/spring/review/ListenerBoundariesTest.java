package dev.meshaware.spring.review;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.SettableFuture;
import dev.meshaware.spring.testing.Carried;
import dev.meshaware.spring.testing.Downstream;
import dev.meshaware.spring.testing.RunningApp;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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

/**
 * Listeners of other libraries' futures, with the starter alone, in a Spring MVC application on
 * Tomcat: Guava's {@code SettableFuture} (a listener and {@code Futures.addCallback}) and Netty's
 * promise ({@code ImmediateEventExecutor}, whose listeners run on the completing thread). A
 * listener request B registered, run when request A completes the future on A's thread, carries
 * none, never A's; A's own call after completing carries A's; a listener added to a Guava future
 * already done runs at once for the request adding it and carries that request's. Netty runs such a
 * listener through the notification that also runs listeners still waiting for another thread's
 * completion, so there it carries none.
 */
class ListenerBoundariesTest {
  private static final AtomicInteger KEYS = new AtomicInteger();
  private static Downstream downstream;
  private static RunningApp app;
  private static ExecutorService senders;

  @BeforeAll
  static void start() {
    downstream = new Downstream();
    app = Carried.start(WebApplicationType.SERVLET, App.class, downstream);
    senders = Executors.newFixedThreadPool(4);
  }

  @AfterAll
  static void stop() {
    senders.shutdownNow();
    app.close();
    downstream.close();
  }

  private static void check(String path, String rid) throws Exception {
    Carried.check(downstream, path, rid);
  }

  private static Future<String> send(String target, String rid) {
    return senders.submit(() -> app.get(target, Carried.headers(rid)).body());
  }

  /** B registers, A completes on its own thread: B's listener runs inside A's request. */
  @ParameterizedTest
  @ValueSource(strings = {"guava", "guava-callback", "netty"})
  void anotherRequestsCompletionRunsTheListenerWithNone(String lib) throws Exception {
    String key = lib + "-" + KEYS.incrementAndGet();
    App.Calls calls = app.context().getBean(App.Calls.class);
    Future<String> b = send("/wait/" + lib + "/" + key + "?path=/" + key + "-b", "rid-b-" + key);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!calls.registered(key)) {
      assertThat(System.nanoTime()).as(key + " registered").isLessThan(end);
      Thread.sleep(10);
    }
    assertThat(
            send("/complete/" + lib + "/" + key + "?path=/" + key + "-a", "rid-a-" + key)
                .get(30, TimeUnit.SECONDS))
        .startsWith("down");
    assertThat(b.get(30, TimeUnit.SECONDS)).startsWith("down");
    assertThat(calls.ranOn(key)).as("the listener ran on A's thread").isNotEqualTo(calls.bOf(key));
    check("/" + key + "-b", null);
    check("/" + key + "-a", "rid-a-" + key);
  }

  /** A listener added to a future already done runs at once, for the request adding it. */
  @ParameterizedTest
  @ValueSource(strings = {"guava", "guava-immediate"})
  void aListenerAddedToADoneFutureCarriesItsOwnRequest(String lib) throws Exception {
    String key = "done-" + lib + "-" + KEYS.incrementAndGet();
    assertThat(send("/late/" + lib + "?path=/" + key, "rid-" + key).get(30, TimeUnit.SECONDS))
        .startsWith("down");
    check("/" + key, "rid-" + key);
  }

  /**
   * Netty runs a listener added to a done promise through its notification, which also runs any
   * listener still waiting for the completion's own notification (another request's:
   * NettyPendingListenersTest): it carries none, never another request's.
   */
  @ParameterizedTest
  @ValueSource(strings = {"netty", "netty-succeeded"})
  void aListenerAddedToADoneNettyPromiseCarriesNone(String lib) throws Exception {
    String key = "done-" + lib + "-" + KEYS.incrementAndGet();
    assertThat(send("/late/" + lib + "?path=/" + key, "rid-" + key).get(30, TimeUnit.SECONDS))
        .startsWith("down");
    check("/" + key, null);
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(App.Calls.class)
  static class App {

    @RestController
    public static class Calls {
      private final RestClient restClient;
      private final String downstream;
      private final Map<String, SettableFuture<String>> guava = new ConcurrentHashMap<>();
      private final Map<String, Promise<String>> netty = new ConcurrentHashMap<>();
      private final Map<String, Boolean> registered = new ConcurrentHashMap<>();
      private final Map<String, String> threads = new ConcurrentHashMap<>();

      public Calls(RestClient.Builder builder, Environment env) {
        this.restClient = builder.requestFactory(new JdkClientHttpRequestFactory()).build();
        this.downstream = env.getProperty("app.downstream");
      }

      boolean registered(String key) {
        return registered.containsKey(key);
      }

      String ranOn(String key) {
        return threads.get(key + "/listener");
      }

      String bOf(String key) {
        return threads.get(key + "/b");
      }

      private SettableFuture<String> guava(String key) {
        return guava.computeIfAbsent(key, k -> SettableFuture.create());
      }

      private Promise<String> netty(String key) {
        return netty.computeIfAbsent(key, k -> ImmediateEventExecutor.INSTANCE.newPromise());
      }

      @GetMapping("/wait/{lib}/{key}")
      public String waitFor(
          @PathVariable("lib") String lib,
          @PathVariable("key") String key,
          @RequestParam("path") String path)
          throws Exception {
        CompletableFuture<String> done = new CompletableFuture<>();
        Runnable listener =
            () -> {
              threads.put(key + "/listener", Thread.currentThread().getName());
              try {
                done.complete(blocking(path));
              } catch (RuntimeException e) {
                done.completeExceptionally(e);
              }
            };
        threads.put(key + "/b", Thread.currentThread().getName());
        switch (lib) {
          case "guava" -> guava(key).addListener(listener, MoreExecutors.directExecutor());
          case "guava-callback" ->
              Futures.addCallback(
                  guava(key),
                  new com.google.common.util.concurrent.FutureCallback<String>() {
                    @Override
                    public void onSuccess(String value) {
                      listener.run();
                    }

                    @Override
                    public void onFailure(Throwable t) {
                      done.completeExceptionally(t);
                    }
                  },
                  MoreExecutors.directExecutor());
          case "netty" -> netty(key).addListener(f -> listener.run());
          default -> throw new IllegalArgumentException(lib);
        }
        registered.put(key, Boolean.TRUE);
        return done.get(30, TimeUnit.SECONDS);
      }

      @GetMapping("/complete/{lib}/{key}")
      public String complete(
          @PathVariable("lib") String lib,
          @PathVariable("key") String key,
          @RequestParam("path") String path) {
        if (lib.startsWith("guava")) {
          guava(key).set(key);
        } else {
          netty(key).setSuccess(key);
        }
        return blocking(path);
      }

      @GetMapping("/late/{lib}")
      public String late(@PathVariable("lib") String lib, @RequestParam("path") String path)
          throws Exception {
        CompletableFuture<String> done = new CompletableFuture<>();
        Runnable listener = () -> done.complete(blocking(path));
        switch (lib) {
          case "guava" -> {
            SettableFuture<String> future = SettableFuture.create();
            future.set("v");
            future.addListener(listener, MoreExecutors.directExecutor());
          }
          case "guava-immediate" -> {
            ListenableFuture<String> future = Futures.immediateFuture("v");
            future.addListener(listener, MoreExecutors.directExecutor());
          }
          case "netty" -> {
            Promise<String> promise = ImmediateEventExecutor.INSTANCE.newPromise();
            promise.setSuccess("v");
            promise.addListener(f -> listener.run());
          }
          case "netty-succeeded" ->
              ImmediateEventExecutor.INSTANCE
                  .newSucceededFuture("v")
                  .addListener(f -> listener.run());
          default -> throw new IllegalArgumentException(lib);
        }
        return done.get(30, TimeUnit.SECONDS);
      }

      private String blocking(String path) {
        return restClient.get().uri(downstream + path).retrieve().body(String.class);
      }
    }
  }
}
