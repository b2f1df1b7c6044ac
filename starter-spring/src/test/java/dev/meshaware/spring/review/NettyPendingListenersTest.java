package dev.meshaware.spring.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.spring.testing.Carried;
import dev.meshaware.spring.testing.Downstream;
import dev.meshaware.spring.testing.RunningApp;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.DefaultProgressivePromise;
import io.netty.util.concurrent.GenericProgressiveFutureListener;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.ProgressiveFuture;
import io.netty.util.concurrent.Promise;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
import org.springframework.scheduling.concurrent.ConcurrentTaskExecutor;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * Review: Netty listeners that a request's {@code addListener} runs but that are not that
 * request's.
 *
 * <p>(1) A promise of a Netty event loop completed from off the loop is done at once, but its
 * listeners' notification is queued to the loop. If the loop is running a task of request A (handed
 * to the application's {@code ConcurrentTaskExecutor} bean around the loop) and that task adds a
 * listener to the promise, Netty's {@code addListener} notifies ALL pending listeners inline
 * (notifyListenersNow), including the one request C registered before the completion. The stack
 * shows an {@code addListener} under the notification, so CompletionCallbacks takes it for a
 * registration and C's listener's call goes out with A's headers. Expected: none (or C's).
 *
 * <p>(2) Progressive listeners ({@code DefaultProgressivePromise.setProgress}) are notified through
 * {@code notifyProgressiveListener0}, which CompletionCallbacks does not know: C's progress
 * listener run by B's setProgress carries B's headers. Expected: none (or C's).
 */
class NettyPendingListenersTest {
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
  void pendingListenersRunByAnotherRequestsAddListenerCarryNotItsHeaders() throws Exception {
    String key = "pending";
    assertThat(
            app.get("/register/" + key + "?path=/" + key + "-c", Carried.headers("rid-c")).body())
        .isEqualTo("registered");
    assertThat(app.get("/hold/" + key + "?path=/" + key + "-a", Carried.headers("rid-a")).body())
        .isEqualTo("holding");
    assertThat(
            app.get("/complete/" + key + "?path=/" + key + "-b", Carried.headers("rid-b")).body())
        .startsWith("down");
    Carried.check(downstream, "/" + key + "-a", "rid-a");
    Carried.check(downstream, "/" + key + "-b", "rid-b");
    // C's listener, registered by C, run from A's addListener on the loop: never A's
    Carried.check(downstream, "/" + key + "-c", null);
  }

  @Test
  void progressListenerRunByAnotherRequestsSetProgressCarriesNone() throws Exception {
    String key = "progress";
    assertThat(
            app.get("/register-progress/" + key + "?path=/" + key + "-c", Carried.headers("rid-pc"))
                .body())
        .isEqualTo("registered");
    assertThat(
            app.get("/progress/" + key + "?path=/" + key + "-b", Carried.headers("rid-pb")).body())
        .startsWith("down");
    Carried.check(downstream, "/" + key + "-b", "rid-pb");
    Carried.check(downstream, "/" + key + "-c", null);
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(App.Calls.class)
  static class App {
    @Bean(destroyMethod = "shutdownGracefully")
    DefaultEventExecutor loop() {
      return new DefaultEventExecutor();
    }

    @Bean
    ConcurrentTaskExecutor onLoop(DefaultEventExecutor loop) {
      return new ConcurrentTaskExecutor(loop);
    }

    @RestController
    public static class Calls {
      private final RestClient restClient;
      private final String downstream;
      private final DefaultEventExecutor loop;
      private final ConcurrentTaskExecutor onLoop;
      private final Map<String, Promise<String>> promises = new ConcurrentHashMap<>();
      private final Map<String, DefaultProgressivePromise<String>> progressive =
          new ConcurrentHashMap<>();
      private final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();

      public Calls(
          RestClient.Builder builder,
          Environment env,
          DefaultEventExecutor loop,
          ConcurrentTaskExecutor onLoop) {
        this.restClient = builder.requestFactory(new JdkClientHttpRequestFactory()).build();
        this.downstream = env.getProperty("app.downstream");
        this.loop = loop;
        this.onLoop = onLoop;
      }

      private Promise<String> promise(String key) {
        return promises.computeIfAbsent(key, k -> loop.newPromise());
      }

      @GetMapping("/register/{key}")
      public String register(@PathVariable("key") String key, @RequestParam("path") String path) {
        promise(key).addListener(f -> blocking(path));
        return "registered";
      }

      @GetMapping("/hold/{key}")
      public String hold(@PathVariable("key") String key, @RequestParam("path") String path)
          throws Exception {
        CountDownLatch hold = holds.computeIfAbsent(key, k -> new CountDownLatch(1));
        CountDownLatch started = new CountDownLatch(1);
        onLoop.execute(
            () -> {
              started.countDown();
              try {
                hold.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              promise(key).addListener(f -> {}); // A's own, on a promise already done
              blocking(path);
            });
        started.await(30, TimeUnit.SECONDS);
        return "holding";
      }

      @GetMapping("/complete/{key}")
      public String complete(@PathVariable("key") String key, @RequestParam("path") String path) {
        promise(key).setSuccess(key); // off the loop: notification queued behind A's task
        holds.computeIfAbsent(key, k -> new CountDownLatch(1)).countDown();
        return blocking(path);
      }

      @GetMapping("/register-progress/{key}")
      public String registerProgress(
          @PathVariable("key") String key, @RequestParam("path") String path) {
        DefaultProgressivePromise<String> promise =
            progressive.computeIfAbsent(
                key, k -> new DefaultProgressivePromise<>(ImmediateEventExecutor.INSTANCE));
        promise.addListener(
            new GenericProgressiveFutureListener<ProgressiveFuture<String>>() {
              @Override
              public void operationProgressed(ProgressiveFuture<String> f, long p, long t) {
                blocking(path);
              }

              @Override
              public void operationComplete(ProgressiveFuture<String> f) {}
            });
        return "registered";
      }

      @GetMapping("/progress/{key}")
      public String progress(@PathVariable("key") String key, @RequestParam("path") String path) {
        progressive.get(key).setProgress(1, 10);
        return blocking(path);
      }

      private String blocking(String path) {
        return restClient.get().uri(downstream + path).retrieve().body(String.class);
      }
    }
  }
}
