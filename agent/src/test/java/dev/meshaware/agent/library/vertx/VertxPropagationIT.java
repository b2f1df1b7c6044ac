package dev.meshaware.agent.library.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.meshaware.agent.testing.ChildJvm;
import dev.meshaware.agent.testing.MeshedService;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Vert.x 5 on both sides, in one child JVM with the agent and ONE event loop: its HTTP server with
 * and without Vert.x Web's {@code Router}, a worker verticle's server, {@code HttpClient} and
 * {@code WebClient}, and the hops between them (futures, timers, {@code runOnContext}, {@code
 * executeBlocking}, blocking route handlers, a body handler). {@link Vertx4PropagationIT} runs the
 * same on Vert.x 4.5.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VertxPropagationIT {
  private static final AtomicInteger IDS = new AtomicInteger();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private MeshedService service;
  private int workerPort;

  /** The child JVM, with the Vert.x version under test. */
  ChildJvm child() {
    return ChildJvm.running(VertxApp.class);
  }

  @BeforeAll
  void start() throws Exception {
    service = MeshedService.start("vertx", child());
    workerPort =
        Integer.parseInt(
            service.awaitLineContaining("WORKER-PORT ", Duration.ofSeconds(30)).split(" ")[1]);
  }

  @AfterAll
  void stop() throws Exception {
    service.close();
  }

  static Map<String, String> traceHeaders(String id) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-request-id", "6a1e5b7c-2f3d-4e8a-9b0c-" + id);
    headers.put("x-b3-traceid", "80f198ee56343ba8" + String.format("%016x", id.hashCode()));
    headers.put("x-b3-spanid", "e457b5a2e4d86bd1");
    headers.put("x-b3-sampled", "1");
    headers.put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    headers.put("tracestate", "congo=t61rcWkgMzE");
    return headers;
  }

  @ParameterizedTest(name = "{0} {1} via {2}")
  @CsvSource({
    "/call, direct, httpclient, 1",
    "/call, direct, webclient, 1",
    "/call, chain, httpclient, 2",
    "/call, timer, httpclient, 1",
    "/call, timer, webclient, 1",
    "/call, run-on-context, httpclient, 1",
    "/call, execute-blocking, httpclient, 1",
    "/call, execute-blocking, webclient, 1",
    "/blocking, -, httpclient, 1",
    "/body, -, webclient, 1",
    "/plain, direct, httpclient, 1",
    "/plain, chain, webclient, 2",
    "/plain, execute-blocking, httpclient, 1",
    "worker, direct, httpclient, 1",
    "worker, timer, webclient, 1",
    "worker, execute-blocking, httpclient, 1"
  })
  void forwardsExactlyTheReceivedValuesOnceEach(String route, String hop, String client, int calls)
      throws Exception {
    String id = "v" + IDS.incrementAndGet();
    Map<String, String> sent = traceHeaders(id);
    String body = send(route, "hop=" + hop + "&client=" + client + "&path=/" + id, sent);
    assertThat(body).as(service.output()).isEqualTo("200");
    List<LoggedRequest> received = service.received("/" + id);
    assertThat(received).hasSize(calls);
    for (LoggedRequest request : received) {
      assertExactly(request, sent, route + " " + hop + " " + client);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"httpclient", "webclient"})
  void theSpanIdTheApplicationSetWins(String client) throws Exception {
    String id = "appset" + IDS.incrementAndGet();
    Map<String, String> sent = traceHeaders(id);
    assertThat(send("/call", "hop=timer&client=" + client + "&appset=app-span-7&path=/" + id, sent))
        .isEqualTo("200");
    LoggedRequest received = service.received("/" + id).get(0);
    assertThat(received.getHeaders().getHeader("x-b3-spanid").values())
        .containsExactly("app-span-7");
    assertThat(received.getHeaders().getHeader("x-request-id").values())
        .containsExactly(sent.get("x-request-id"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"direct", "timer", "execute-blocking"})
  void aRequestWithoutTraceHeadersForwardsNone(String hop) throws Exception {
    // A request with headers first, on the same event loop, so that a leftover would show.
    forwardsExactlyTheReceivedValuesOnceEach("/call", hop, "httpclient", 1);
    String id = "none" + IDS.incrementAndGet();
    assertThat(send("/call", "hop=" + hop + "&client=httpclient&path=/" + id, Map.of()))
        .isEqualTo("200");
    assertNone(service.received("/" + id).get(0), hop);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"httpclient", "webclient"})
  void aListenerRegisteredByOneRequestAndCompletedByAnotherOnTheSameLoopKeepsItsOwn(String client)
      throws Exception {
    String a = "wait" + IDS.incrementAndGet();
    String b = "release" + IDS.incrementAndGet();
    Map<String, String> sentA = traceHeaders(a);
    Map<String, String> sentB = traceHeaders(b);
    CompletableFuture<String> answerA =
        CompletableFuture.supplyAsync(
            () ->
                sendUnchecked(
                    "/call", "hop=wait&key=" + a + "&client=" + client + "&path=/" + a, sentA));
    service.awaitLineContaining("WAITING " + a, Duration.ofSeconds(20));
    // B arrives on the same event loop while A waits, and completes A's promise.
    assertThat(send("/call", "hop=release&key=" + a + "&client=" + client + "&path=/" + b, sentB))
        .isEqualTo("200");
    assertThat(answerA.get(20, TimeUnit.SECONDS)).isEqualTo("200");
    assertExactly(service.received("/" + a).get(0), sentA, "A");
    assertExactly(service.received("/" + b).get(0), sentB, "B");
  }

  /** False where the Vert.x under test has no {@code Future.onComplete(Completable)} (4.5). */
  boolean hasCompletableListeners() {
    return true;
  }

  @Test
  void oneListenerObjectRegisteredByTwoRequestsNeverRunsWithTheOthersHeaders() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(hasCompletableListeners());
    String a = "sharedA" + IDS.incrementAndGet();
    String b = "sharedB" + IDS.incrementAndGet();
    Map<String, String> sentA = traceHeaders(a);
    Map<String, String> sentB = traceHeaders(b);
    assertThat(send("/call", "hop=shared&key=" + a, sentA)).isEqualTo("registered");
    assertThat(send("/call", "hop=shared&key=" + b, sentB)).isEqualTo("registered");
    // A third request completes both promises: A's listener call, then B's.
    Map<String, String> sentC = traceHeaders("releaser" + IDS.incrementAndGet());
    assertThat(send("/call", "hop=release-shared&key=" + a + "&target=/" + a, sentC))
        .isEqualTo("released");
    assertThat(send("/call", "hop=release-shared&key=" + b + "&target=/" + b, sentC))
        .isEqualTo("released");
    for (String id : List.of(a, b)) {
      List<LoggedRequest> received = service.awaitReceived("/" + id, 1);
      assertThat(received).as(service.output()).hasSize(1);
      String requestId = received.get(0).getHeader("x-request-id");
      Map<String, String> own = id.equals(a) ? sentA : sentB;
      // Which registration is whose cannot be told apart: no headers is right, the listener's own
      // registrar's would be too; another request's never.
      assertThat(requestId).as(id).isIn(null, own.get("x-request-id"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"periodic", "outside"})
  void periodicWorkAndWorkOfNoRequestCarryNothing(String hop) throws Exception {
    String id = hop + IDS.incrementAndGet();
    assertThat(send("/call", "hop=" + hop + "&client=httpclient&path=/" + id, traceHeaders(id)))
        .isEqualTo("scheduled");
    List<LoggedRequest> received = service.awaitReceived("/" + id, 1);
    assertThat(received).as(service.output()).hasSize(1);
    assertNone(received.get(0), hop);
  }

  @Test
  void aPipelinedRequestStartedAfterThePreviousResponseCarriesItsOwn() throws Exception {
    String a = "first" + IDS.incrementAndGet();
    String b = "piped" + IDS.incrementAndGet();
    // A waits for a timer, so B's head is read while A is in progress; B starts when A's response
    // ends, inside A's completion on the same event loop.
    String wire =
        pipelined("hop=timer&client=httpclient&path=/" + a, traceHeaders(a), false)
            + pipelined("hop=direct&client=httpclient&path=/" + b, traceHeaders(b), true);
    URI base = URI.create(service.baseUrl());
    String answers;
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(20_000);
      socket.getOutputStream().write(wire.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    }
    assertThat(answers.split("HTTP/1.1 200", -1)).as(answers).hasSize(3);
    assertExactly(service.received("/" + a).get(0), traceHeaders(a), "A");
    assertExactly(service.received("/" + b).get(0), traceHeaders(b), "B, pipelined");
  }

  private static String pipelined(String query, Map<String, String> headers, boolean last) {
    StringBuilder request = new StringBuilder("GET /call?" + query + " HTTP/1.1\r\n");
    request.append("Host: 127.0.0.1\r\n");
    headers.forEach(
        (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
    if (last) {
      request.append("Connection: close\r\n");
    }
    return request.append("\r\n").toString();
  }

  @Test
  void anExcludedHostGetsNothing() throws Exception {
    try (MeshedService excluding =
        MeshedService.start(
            "vertx", child().property("meshaware.propagation.exclude-hosts", "127.0.0.1"))) {
      for (String route : List.of("hop=direct&client=httpclient", "hop=timer&client=webclient")) {
        String id = "excluded" + IDS.incrementAndGet();
        assertThat(excluding.call(route + "&path=/" + id, traceHeaders(id)))
            .as(excluding.output())
            .isEqualTo("200");
        assertNone(excluding.received("/" + id).get(0), route);
      }
    }
  }

  private static void assertExactly(LoggedRequest request, Map<String, String> sent, String what) {
    for (Map.Entry<String, String> header : sent.entrySet()) {
      assertThat(request.getHeaders().getHeader(header.getKey()).values())
          .as(what + ": " + header.getKey())
          .containsExactly(header.getValue());
    }
  }

  private static void assertNone(LoggedRequest request, String what) {
    for (String name : traceHeaders("x").keySet()) {
      assertThat(request.getHeader(name)).as(what + ": " + name).isNull();
    }
  }

  private String sendUnchecked(String route, String query, Map<String, String> headers) {
    try {
      return send(route, query, headers);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code route} is a path of the main server, or {@code worker} for the worker verticle's. */
  private String send(String route, String query, Map<String, String> headers) throws Exception {
    if (!route.equals("worker")) {
      return service.get(route, query, headers);
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + workerPort + "/?" + query))
            .timeout(Duration.ofSeconds(30));
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
  }
}
