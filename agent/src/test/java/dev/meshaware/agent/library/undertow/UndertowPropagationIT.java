package dev.meshaware.agent.library.undertow;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.meshaware.agent.testing.ChildJvm;
import dev.meshaware.agent.testing.MeshedService;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Undertow's own {@code HttpHandler} API in a child JVM with the agent, one I/O thread and one
 * worker: the request's exact headers reach the downstream from a handler on the I/O thread and
 * from each kind of {@code exchange.dispatch}, through the JDK's, OkHttp's and Apache's clients;
 * two requests interleaved on the same threads keep their own; nothing stays on the threads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UndertowPropagationIT {
  static final List<String> WHERE = List.of("io", "handler", "runnable", "executor", "later");
  private static final List<String> CLIENTS = List.of("jdk", "okhttp", "apache5");
  private static final List<String> FORWARDED =
      List.of(
          "x-request-id",
          "x-b3-traceid",
          "x-b3-spanid",
          "x-b3-parentspanid",
          "x-b3-sampled",
          "traceparent",
          "tracestate");
  private static final AtomicInteger IDS = new AtomicInteger();

  private MeshedService service;

  @BeforeAll
  void start() throws Exception {
    service = MeshedService.start("undertow", app());
    service.awaitLineContaining(UndertowApp.VERSION + version(), Duration.ofSeconds(10));
  }

  /** The Undertow line the child runs. */
  String version() {
    return "2.3.";
  }

  /** The application; {@code localhost} is excluded (the downstream is called as 127.0.0.1). */
  ChildJvm app() {
    return ChildJvm.running(UndertowApp.class)
        .property("meshaware.propagation.exclude-hosts", "localhost");
  }

  @AfterAll
  void stop() throws Exception {
    if (service != null) {
      service.close();
    }
  }

  static Map<String, String> traceHeaders(String id) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-request-id", "6a1e5b7c-2f3d-4e8a-9b0c-" + id);
    headers.put("x-b3-traceid", "80f198ee56343ba8" + String.format("%016x", id.hashCode()));
    headers.put("x-b3-spanid", "e457b5a2e4d86bd1");
    headers.put("x-b3-parentspanid", "05e3ac9a4f6e3b90");
    headers.put("x-b3-sampled", "1");
    headers.put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    headers.put("tracestate", "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
    return headers;
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"io", "handler", "runnable", "executor", "later"})
  void forwardsTheExactInboundValuesOnceThroughEveryClient(String where) throws Exception {
    for (String client : CLIENTS) {
      String id = where + "-" + client + "-" + IDS.incrementAndGet();
      Map<String, String> sent = traceHeaders(id);
      String answer = service.call("client=" + client + "&on=" + where + "&path=/" + id, sent);

      assertThat(answer).as(client + " on " + where + "\n" + service.output()).isEqualTo("200");
      LoggedRequest received = only(service.received("/" + id));
      sent.forEach(
          (name, value) ->
              assertThat(received.getHeaders().getHeader(name).values())
                  .as(client + " on " + where + ": " + name)
                  .containsExactly(value));
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"io", "handler", "runnable", "executor", "later"})
  void theHeaderTheApplicationSetWins(String where) throws Exception {
    for (String client : CLIENTS) {
      String id = "appset-" + where + "-" + client;
      String answer =
          service.call(
              "client=" + client + "&on=" + where + "&appset=app-span&path=/" + id,
              traceHeaders(id));

      assertThat(answer).isEqualTo("200");
      LoggedRequest received = only(service.received("/" + id));
      assertThat(received.getHeaders().getHeader("x-b3-spanid").values())
          .as(client + " on " + where)
          .containsExactly("app-span");
      assertThat(received.getHeader("x-request-id"))
          .isEqualTo(traceHeaders(id).get("x-request-id"));
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"io", "handler", "runnable", "executor", "later"})
  void anExcludedHostGetsNothingAndARequestWithoutHeadersForwardsNone(String where)
      throws Exception {
    for (String client : CLIENTS) {
      String excluded = "excluded-" + where + "-" + client;
      assertThat(
              service.call(
                  "client=" + client + "&on=" + where + "&host=localhost&path=/" + excluded,
                  traceHeaders(excluded)))
          .isEqualTo("200");
      assertNoForwardedHeader(only(service.received("/" + excluded)));

      String none = "none-" + where + "-" + client;
      assertThat(service.call("client=" + client + "&on=" + where + "&path=/" + none, Map.of()))
          .isEqualTo("200");
      assertNoForwardedHeader(only(service.received("/" + none)));
    }
  }

  /**
   * A is held on the only worker (or the application's one-thread executor) after calling out on
   * the only I/O thread; B then runs its I/O handler on that thread and queues its dispatch behind
   * A. Released, A calls out with A's headers, then B with B's.
   */
  @ParameterizedTest(name = "dispatched as {0}")
  @ValueSource(strings = {"handler", "runnable", "executor"})
  void twoRequestsInterleavedOnTheSameThreadsEachKeepTheirOwn(String where) throws Exception {
    String a = "interleaved-" + where + "-a";
    String b = "interleaved-" + where + "-b";
    CompletableFuture<String> first =
        send("on=" + where + "&io=/" + a + "-io&wait=" + a + "&path=/" + a, traceHeaders(a));
    service.awaitLineContaining(UndertowApp.ARRIVED + a, Duration.ofSeconds(20));
    CompletableFuture<String> second =
        send("on=" + where + "&io=/" + b + "-io&path=/" + b, traceHeaders(b));
    assertThat(service.awaitReceived("/" + b + "-io", 1)).hasSize(1);
    assertThat(service.received("/" + b)).as("B waits behind A").isEmpty();

    assertThat(service.get("/release", "name=" + a, Map.of())).isEqualTo("released");

    assertThat(first.get(20, TimeUnit.SECONDS)).isEqualTo("200");
    assertThat(second.get(20, TimeUnit.SECONDS)).isEqualTo("200");
    assertCarries(a, only(service.received("/" + a + "-io")));
    assertCarries(a, only(service.received("/" + a)));
    assertCarries(b, only(service.received("/" + b + "-io")));
    assertCarries(b, only(service.received("/" + b)));
  }

  @Test
  void nothingStaysOnTheIoThreadOrTheWorkerAfterTheRequests() throws Exception {
    for (String where : WHERE) {
      String id = "before-leftover-" + where;
      assertThat(service.call("on=" + where + "&path=/" + id, traceHeaders(id))).isEqualTo("200");
    }
    assertThat(service.get("/leftover", "path=/leftover", Map.of())).isEqualTo("scheduled");

    assertNoForwardedHeader(only(service.awaitReceived("/leftover/io", 1)));
    assertNoForwardedHeader(only(service.awaitReceived("/leftover/worker", 1)));
  }

  private CompletableFuture<String> send(String query, Map<String, String> headers) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return service.call("client=jdk&" + query, headers);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private static void assertCarries(String id, LoggedRequest received) {
    traceHeaders(id)
        .forEach(
            (name, value) ->
                assertThat(received.getHeaders().getHeader(name).values())
                    .as(received.getUrl() + ": " + name)
                    .containsExactly(value));
  }

  private static void assertNoForwardedHeader(LoggedRequest received) {
    for (String name : FORWARDED) {
      assertThat(received.containsHeader(name)).as(received.getUrl() + ": " + name).isFalse();
    }
  }

  private static LoggedRequest only(List<LoggedRequest> requests) {
    assertThat(requests).hasSize(1);
    return requests.get(0);
  }
}
