package dev.meshaware.agent.library.jetty;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.meshaware.agent.testing.ChildJvm;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A child JVM running one of this package's apps with the agent, a WireMock downstream on loopback
 * that records what arrived, and the assertions the Jetty tests share. The excluded host is {@code
 * localhost}; the allowed one is {@code 127.0.0.1}: the same downstream under two names.
 */
final class JettyChild implements AutoCloseable {
  /** What the application sets itself when asked to (see {@link Jetty12App#APP_SET_HEADER}). */
  static final String APP_SPAN = "app-span";

  final WireMockServer downstream;
  final ChildJvm.Running child;
  final int[] ports;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private JettyChild(WireMockServer downstream, ChildJvm.Running child, int[] ports) {
    this.downstream = downstream;
    this.child = child;
    this.ports = ports;
  }

  /** Starts {@code jvm} (its app prints {@code JETTY-APP <port>...}) beside a fresh downstream. */
  static JettyChild start(ChildJvm jvm) throws Exception {
    WireMockServer downstream =
        new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(20));
    downstream.start();
    downstream.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("down")));
    ChildJvm.Running child =
        jvm.property("meshaware.propagation.exclude-hosts", "localhost")
            .property("meshaware.diagnostics.repeat-interval", "1s")
            // The drain, and so the in-flight count, is on where a sidecar may be, or when asked.
            .property("meshaware.shutdown.delay", "1s")
            .start();
    try {
      String[] words = child.awaitLine("JETTY-APP", Duration.ofSeconds(60)).split(" ");
      int[] ports = new int[words.length];
      for (int i = 0; i < words.length; i++) {
        ports[i] = Integer.parseInt(words[i]);
      }
      return new JettyChild(downstream, child, ports);
    } catch (AssertionError | RuntimeException e) {
      child.kill();
      downstream.stop();
      throw e;
    }
  }

  /** The downstream's URL for {@code path} under the allowed name. */
  String allowed(String path) {
    return "http://127.0.0.1:" + downstream.port() + path;
  }

  /** The downstream's URL for {@code path} under the excluded name. */
  String excluded(String path) {
    return "http://localhost:" + downstream.port() + path;
  }

  /** The downstream answers {@code path} with a redirect to {@code location}. */
  void redirect(String path, String location) {
    downstream.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo(path))
            .willReturn(aResponse().withStatus(302).withHeader("Location", location)));
  }

  /** {@code GET http://127.0.0.1:<ports[port]>/<pathAndQuery>} with {@code headers}: the body. */
  String get(int port, String pathAndQuery, Map<String, String> headers) throws Exception {
    return send(port, pathAndQuery, headers).get();
  }

  /** {@link #get}, without waiting for the answer. */
  CompletableFuture<String> send(int port, String pathAndQuery, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[port] + pathAndQuery))
            .timeout(Duration.ofSeconds(40));
    headers.forEach(request::header);
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(HttpResponse::body);
  }

  static String encode(String url) {
    return URLEncoder.encode(url, StandardCharsets.UTF_8);
  }

  /** The one request the downstream received on {@code path}. */
  LoggedRequest only(String path) {
    List<LoggedRequest> received = downstream.findAll(getRequestedFor(urlPathEqualTo(path)));
    assertThat(received).as("requests received on " + path).hasSize(1);
    return received.get(0);
  }

  /** Trace headers whose values name {@code id}, as a sidecar would send them. */
  static Map<String, String> traceHeaders(String id) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-request-id", "6a1e5b7c-2f3d-4e8a-9b0c-" + id);
    headers.put("x-b3-traceid", "80f198ee56343ba864fe8b2a57d3eff7");
    headers.put("x-b3-spanid", "e457b5a2e4d86bd1");
    headers.put("x-b3-parentspanid", "05e3ac9a4f6e3b90");
    headers.put("x-b3-sampled", "1");
    headers.put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    headers.put("tracestate", "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
    return headers;
  }

  /** Each of {@code sent} arrived exactly once, with its exact value. */
  static void assertExactlyForwarded(LoggedRequest hop, Map<String, String> sent) {
    sent.forEach(
        (name, value) ->
            assertThat(hop.getHeaders().getHeader(name).values())
                .as(hop.getUrl() + " " + name)
                .containsExactly(value));
  }

  /** As {@link #assertExactlyForwarded}, except the header the application set: its value. */
  static void assertForwardedWithAppSet(LoggedRequest hop, Map<String, String> sent) {
    Map<String, String> expected = new LinkedHashMap<>(sent);
    expected.put(Jetty12App.APP_SET_HEADER, APP_SPAN);
    assertExactlyForwarded(hop, expected);
  }

  /** None of {@code sent} arrived. */
  static void assertNoneForwarded(LoggedRequest hop, Map<String, String> sent) {
    for (String name : sent.keySet()) {
      assertThat(hop.containsHeader(name)).as(hop.getUrl() + " " + name).isFalse();
    }
  }

  /** Waits for a line of the child's output that contains {@code text}. */
  String awaitLineContaining(String text) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : child.lines()) {
        if (line.contains(text)) {
          return line;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no line with " + text + ":\n" + String.join("\n", child.lines()));
  }

  @Override
  public void close() throws Exception {
    try {
      child.process().getOutputStream().close();
      child.await(Duration.ofSeconds(20));
    } finally {
      downstream.stop();
    }
  }
}
