package dev.meshaware.agent.library.netty;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.meshaware.agent.testing.ChildJvm;
import dev.meshaware.agent.testing.Recorder;
import dev.meshaware.agent.testing.Recorder.Carried;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A raw Netty HTTP server calling out through a raw Netty client and AsyncHttpClient, everything of
 * the server and the raw client on one event loop thread, in a child JVM with the agent: Netty 4.2
 * with AsyncHttpClient 3.0 here, Netty 4.1 with AsyncHttpClient 2.12 in {@link NettyLibrary41IT}.
 * {@code localhost} is the excluded host.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NettyLibraryIT {
  private static final AtomicInteger IDS = new AtomicInteger();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private Recorder recorder;
  private HttpServer redirector;
  private ChildJvm.Running child;
  private int port;

  /** The child, with its Netty and AsyncHttpClient versions. */
  ChildJvm child() {
    return ChildJvm.running(NettyApp.class).withLibraries();
  }

  @BeforeAll
  void start() throws Exception {
    recorder = Recorder.start();
    redirector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    redirector.createContext(
        "/to",
        exchange -> {
          String to = exchange.getRequestURI().getQuery().substring("url=".length());
          exchange.getResponseHeaders().set("Location", to);
          exchange.sendResponseHeaders(302, -1);
          exchange.close();
        });
    redirector.start();
    child =
        child()
            .property("meshaware.propagation.extra-headers", "end-user")
            .property("meshaware.propagation.exclude-hosts", "localhost")
            .start();
    port = Integer.parseInt(child.awaitLine(NettyApp.PORT, Duration.ofSeconds(60)));
  }

  @AfterAll
  void stop() throws Exception {
    if (child != null) {
      child.kill();
    }
    recorder.close();
    redirector.stop(0);
  }

  private String rec(String host, String tag) {
    return "http://" + host + ":" + recorder.port() + "/rec/" + tag;
  }

  private CompletableFuture<String> send(String pathAndQuery, String requestId) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
            .timeout(Duration.ofSeconds(20));
    if (requestId != null) {
      request.header("x-request-id", requestId).header("end-user", "user-" + requestId);
    }
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(HttpResponse::body);
  }

  private String call(String client, String url, String requestId, String extra) throws Exception {
    String query =
        "/call?client=" + client + "&url=" + URLEncoder.encode(url, StandardCharsets.UTF_8) + extra;
    return send(query, requestId).get();
  }

  private static String tag(String what) {
    return what + "-" + IDS.incrementAndGet();
  }

  @ParameterizedTest(name = "{0} client")
  @ValueSource(strings = {"netty", "ahc"})
  void forwardsExactlyTheRequestsValuesOnceEach(String client) throws Exception {
    String tag = tag(client);
    assertThat(call(client, rec("127.0.0.1", tag), "r-" + tag, "")).isEqualTo("200");
    assertThat(recorder.calls(tag)).containsExactly(new Carried("r-" + tag, "user-r-" + tag));
  }

  @ParameterizedTest(name = "{0} client")
  @ValueSource(strings = {"netty", "ahc"})
  void keepsTheHeaderTheApplicationSet(String client) throws Exception {
    String tag = tag(client);
    assertThat(call(client, rec("127.0.0.1", tag), "r-" + tag, "&appset=app-user"))
        .isEqualTo("200");
    assertThat(recorder.calls(tag)).containsExactly(new Carried("r-" + tag, "app-user"));
  }

  @ParameterizedTest(name = "{0} client")
  @ValueSource(strings = {"netty", "ahc"})
  void sendsNothingToAnExcludedHost(String client) throws Exception {
    String tag = tag(client);
    assertThat(call(client, rec("localhost", tag), "r-" + tag, "")).isEqualTo("200");
    assertThat(recorder.calls(tag)).containsExactly(Carried.NONE);
  }

  @ParameterizedTest(name = "{0} client")
  @ValueSource(strings = {"netty", "ahc"})
  void forwardsNothingForARequestWithoutHeaders(String client) throws Exception {
    String tag = tag(client);
    assertThat(call(client, rec("127.0.0.1", tag), null, "")).isEqualTo("200");
    assertThat(recorder.calls(tag)).containsExactly(Carried.NONE);
  }

  @ParameterizedTest(name = "{0} client")
  @ValueSource(strings = {"netty", "ahc"})
  void aCallChainedFromAResponseCallbackCarriesItsRequest(String client) throws Exception {
    String tag = tag(client);
    assertThat(call(client, rec("127.0.0.1", tag), "r-" + tag, "&chain=1")).isEqualTo("200,200");
    assertThat(recorder.calls(tag)).containsExactly(new Carried("r-" + tag, "user-r-" + tag));
    assertThat(recorder.calls(tag + "-2"))
        .containsExactly(new Carried("r-" + tag, "user-r-" + tag));
  }

  @Test
  void asyncHttpClientRedirectsCarryTheHeadersOnlyToAllowedHosts() throws Exception {
    String allowed = tag("redirect-allowed");
    String excluded = tag("redirect-excluded");
    for (String[] target :
        List.of(new String[] {"127.0.0.1", allowed}, new String[] {"localhost", excluded})) {
      String url =
          "http://127.0.0.1:"
              + redirector.getAddress().getPort()
              + "/to?url="
              + rec(target[0], target[1]);
      assertThat(call("ahc", url, "r-" + target[1], "")).isEqualTo("200");
    }
    assertThat(recorder.calls(allowed))
        .containsExactly(new Carried("r-" + allowed, "user-r-" + allowed));
    assertThat(recorder.calls(excluded)).containsExactly(Carried.NONE);
  }

  @ParameterizedTest(name = "{0} client")
  @ValueSource(strings = {"netty", "ahc"})
  void twoRequestsInterleavedOnOneEventLoopEachCarryTheirOwn(String client) throws Exception {
    for (int round = 0; round < 3; round++) {
      String id = tag("pair-" + client);
      String url = URLEncoder.encode(rec("127.0.0.1", id), StandardCharsets.UTF_8);
      // A waits on a promise that B completes: A's listener runs inside B's handler.
      CompletableFuture<String> a =
          send("/pair?role=A&id=" + id + "&client=" + client + "&url=" + url, "a-" + id);
      Thread.sleep(100);
      CompletableFuture<String> b =
          send("/pair?role=B&id=" + id + "&client=" + client + "&url=" + url, "b-" + id);
      assertThat(a.get()).isEqualTo("200");
      assertThat(b.get()).isEqualTo("200");
      assertThat(recorder.calls(id + "-A")).containsExactly(new Carried("a-" + id, "user-a-" + id));
      assertThat(recorder.calls(id + "-B")).containsExactly(new Carried("b-" + id, "user-b-" + id));
    }
  }

  @Test
  void anEventOfNoRequestOnTheLoopCarriesNothingAfterwards() throws Exception {
    forwardsExactlyTheRequestsValuesOnceEach("netty");
    String tag = tag("idle");
    child.process().getOutputStream().write(("idle " + rec("127.0.0.1", tag) + "\n").getBytes());
    child.process().getOutputStream().flush();
    assertThat(recorder.await(tag, Duration.ofSeconds(10))).containsExactly(Carried.NONE);
  }

  @Test
  void countsEachRequestInFlightOnceUntilItsResponseEnds() throws Exception {
    forwardsExactlyTheRequestsValuesOnceEach("ahc");
    assertThat(send("/inflight", "r-count").get()).isEqualTo("1");
    assertThat(send("/inflight", null).get()).isEqualTo("1");
  }
}
