package dev.meshaware.spring.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.spring.testing.Carried;
import dev.meshaware.spring.testing.ChildApp;
import dev.meshaware.spring.testing.Downstream;
import dev.meshaware.spring.testing.Inbound;
import dev.meshaware.spring.testing.MvcApp;
import dev.meshaware.spring.testing.RunningApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;

/**
 * {@code @Async} methods on the executor Spring Boot builds, in a real Boot web application on
 * Tomcat, once with the starter alone and once with the agent alone (a child JVM without the
 * starter). The pool has two core threads, so its workers are made while serving the first
 * requests: after more requests than that, a request without trace headers must still call out from
 * its {@code @Async} method with none, and every request with headers with exactly its own.
 */
class AsyncIsolationTest {
  private static final String CORE_SIZE = "spring.task.execution.pool.core-size=2";
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** Sends {@code GET path} to the application with {@code headers}; the response body. */
  @FunctionalInterface
  private interface App {
    String get(String path, Map<String, String> headers) throws Exception;
  }

  @Test
  void withTheStarterAnAsyncMethodCarriesOnlyItsOwnRequestsHeadersAndNoneForABareRequest()
      throws Exception {
    try (Downstream downstream = new Downstream();
        RunningApp app =
            Carried.start(WebApplicationType.SERVLET, MvcApp.class, downstream, CORE_SIZE)) {
      exercise("starter", downstream, (path, headers) -> app.get(path, headers).body());
    }
  }

  @Test
  void withTheAgentAnAsyncMethodCarriesOnlyItsOwnRequestsHeadersAndNoneForABareRequest()
      throws Exception {
    try (Downstream downstream = new Downstream();
        ChildApp child =
            ChildApp.withAgentOnly(
                MvcApp.class,
                List.of("-Dmeshaware.propagation.extra-headers=" + Inbound.EXTRA),
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--spring.main.banner-mode=off",
                "--app.downstream=" + downstream.url(),
                "--" + CORE_SIZE)) {
      int port = Integer.parseInt(child.awaitLine(MvcApp.PORT_LINE, Duration.ofSeconds(90)));
      assertThat(child.output())
          .as("the starter is not on this class path")
          .doesNotContain("the meshaware agent is attached to this JVM");
      exercise("agent", downstream, (path, headers) -> get(port, path, headers));
    }
  }

  /**
   * Six requests with headers one after the other (more than the pool's two workers), a request
   * without headers, then rounds of concurrent requests with and without headers.
   */
  private static void exercise(String how, Downstream downstream, App app) throws Exception {
    Map<String, String> requestIdByPath = new LinkedHashMap<>();
    for (int i = 0; i < 6; i++) {
      call(app, how + "-seq-" + i, "rid-" + how + "-seq-" + i, requestIdByPath);
    }
    call(app, how + "-bare-after-six", null, requestIdByPath);

    ExecutorService senders = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> calls = new ArrayList<>();
      Map<String, String> concurrent = new java.util.concurrent.ConcurrentHashMap<>();
      for (int i = 0; i < 24; i++) {
        String name = how + "-concurrent-" + i;
        String requestId = i % 3 == 2 ? null : "rid-" + name;
        calls.add(senders.submit(() -> call(app, name, requestId, concurrent)));
      }
      for (Future<?> call : calls) {
        call.get(60, TimeUnit.SECONDS);
      }
      requestIdByPath.putAll(concurrent);
    } finally {
      senders.shutdownNow();
    }

    Carried.checkAll(downstream, requestIdByPath);
  }

  /** One request ({@code requestId} null: without headers) whose @Async method calls /name. */
  private static Void call(App app, String name, String requestId, Map<String, String> sent)
      throws Exception {
    assertThat(app.get("/call/async?path=/" + name, Carried.headers(requestId)))
        .as(name)
        .isEqualTo("down");
    sent.put("/" + name, requestId == null ? "" : requestId);
    return null;
  }

  private static String get(int port, String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30));
    headers.forEach(request::header);
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
  }
}
