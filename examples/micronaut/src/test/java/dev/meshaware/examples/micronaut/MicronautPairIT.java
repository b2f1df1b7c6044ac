package dev.meshaware.examples.micronaut;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Service A and service B, each a real Micronaut application in a child JVM with the agent: the
 * trace headers A received arrive at B verbatim, once each, through every way A calls B. A runs one
 * event loop (server and client share it), so concurrent requests interleave on it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MicronautPairIT {
  private static final String TRACEPARENT =
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  private final HttpClient http = HttpClient.newHttpClient();
  private ChildService backend;
  private ChildService frontend;
  private ChildService excluding;

  @BeforeAll
  void startAll() throws Exception {
    Map<String, String> agent = Map.of("meshaware.propagation.extra-headers", "end-user");
    backend = ChildService.start("backend", agent);
    frontend =
        ChildService.start(
            "frontend",
            Map.of(
                "meshaware.propagation.extra-headers", "end-user",
                "micronaut.http.services.backend.url", "http://127.0.0.1:" + backend.port,
                "micronaut.netty.event-loops.default.num-threads", "1"));
    excluding =
        ChildService.start(
            "frontend",
            Map.of(
                "meshaware.propagation.extra-headers", "end-user",
                "meshaware.propagation.exclude-hosts", "127.0.0.1:" + backend.port,
                "micronaut.http.services.backend.url", "http://127.0.0.1:" + backend.port));
  }

  @AfterAll
  void stopAll() {
    if (excluding != null) {
      excluding.close();
    }
    if (frontend != null) {
      frontend.close();
    }
    if (backend != null) {
      backend.close();
    }
  }

  private CompletableFuture<String> send(String path, String... headers) {
    return send(frontend, path, headers);
  }

  private CompletableFuture<String> send(ChildService to, String path, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + to.port + path));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(
            response -> {
              assertThat(response.statusCode())
                  .as("%s answered %s; frontend:%n%s", path, response.body(), to.output())
                  .isEqualTo(200);
              return response.body();
            });
  }

  private static String[] traced(String id) {
    return new String[] {
      "x-request-id",
      "req-" + id,
      "b3",
      "80f198ee56343ba8-e457b5a2e4d86bd1-1",
      "traceparent",
      TRACEPARENT,
      "end-user",
      "user-" + id
    };
  }

  private static String line(String via, String id) {
    return "via="
        + via
        + " x-request-id=[req-"
        + id
        + "] x-b3-traceid=[] x-b3-spanid=[] x-b3-sampled=[]"
        + " b3=[80f198ee56343ba8-e457b5a2e4d86bd1-1] traceparent=["
        + TRACEPARENT
        + "] tracestate=[] end-user=[user-"
        + id
        + "]";
  }

  private static String empty(String via) {
    return "via="
        + via
        + " x-request-id=[] x-b3-traceid=[] x-b3-spanid=[] x-b3-sampled=[] b3=[] traceparent=[]"
        + " tracestate=[] end-user=[]";
  }

  @Test
  void declarativeClientCarriesEachHeaderOnceVerbatim() {
    assertThat(send("/declarative", traced("1")).join()).isEqualTo(line("declarative", "1"));
  }

  @Test
  void lowLevelClientCarriesEachHeaderOnceVerbatim() {
    assertThat(send("/low-level", traced("2")).join()).isEqualTo(line("low-level", "2"));
  }

  @Test
  void bothCallsOfTheReactiveChainCarryEachHeaderOnceVerbatim() {
    assertThat(send("/chain", traced("3")).join())
        .isEqualTo(line("chain-first", "3") + "\n" + line("chain-second", "3"));
  }

  @Test
  void endUserTheApplicationSetWinsAndTheOthersAreAdded() {
    assertThat(send("/as-user", traced("4")).join())
        .isEqualTo(line("as-user", "4").replace("end-user=[user-4]", "end-user=[app-user]"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/declarative", "/low-level", "/chain", "/queued"})
  void excludedHostGetsNone(String path) {
    String body = send(excluding, path, traced("x")).join();

    for (String reported : body.split("\n")) {
      String via = reported.substring("via=".length(), reported.indexOf(' '));
      assertThat(reported).isEqualTo(empty(via));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/declarative", "/low-level", "/chain"})
  void requestWithoutHeadersCarriesNone(String path) {
    // after traced requests on the same event loop and connections: nothing stayed behind
    send(path, traced("5")).join();

    String body = send(path).join();

    for (String reported : body.split("\n")) {
      String via = reported.substring("via=".length(), reported.indexOf(' '));
      assertThat(reported).isEqualTo(empty(via));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/declarative", "/low-level", "/chain"})
  void twoInterleavedRequestsEachCarryTheirOwn(String path) {
    String key = "pair" + path.replace('/', '-');
    // B holds the first call until the second arrived: both are in flight on A's one event loop
    CompletableFuture<String> a = send(path + "?hold=" + key, traced("a"));
    CompletableFuture<String> b = send(path + "?hold=" + key, traced("b"));
    CompletableFuture<String> none = send(path);

    assertThat(List.of(a.join(), b.join()))
        .allSatisfy(body -> assertThat(body).doesNotContain("[]]"))
        .satisfiesExactly(
            first -> assertThat(first).contains("req-a").doesNotContain("req-b"),
            second -> assertThat(second).contains("req-b").doesNotContain("req-a"));
    for (String reported : (a.join() + "\n" + b.join()).split("\n")) {
      String via = reported.substring("via=".length(), reported.indexOf(' '));
      String id = reported.contains("req-a") ? "a" : "b";
      assertThat(reported).isEqualTo(line(via, id));
    }
    assertThat(none.join()).doesNotContain("req-");
  }

  @Test
  void callWaitingForAPooledConnectionCarriesItsOwnNotTheReleasingCalls() throws Exception {
    // one connection, B answers after 300 ms: b's call waits in the pool until a's is answered,
    // and is sent from inside the release of a's connection
    CompletableFuture<String> a = send("/queued", traced("qa"));
    Thread.sleep(100);
    CompletableFuture<String> b = send("/queued", traced("qb"));
    Thread.sleep(100);
    CompletableFuture<String> none = send("/queued");

    assertThat(a.join()).isEqualTo(line("queued", "qa"));
    assertThat(b.join()).isEqualTo(line("queued", "qb"));
    assertThat(none.join()).isEqualTo(empty("queued"));
  }
}
