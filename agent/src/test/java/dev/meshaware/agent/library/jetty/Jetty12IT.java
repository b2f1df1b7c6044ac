package dev.meshaware.agent.library.jetty;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.meshaware.agent.library.jetty.JettyChild.APP_SPAN;
import static dev.meshaware.agent.library.jetty.JettyChild.assertExactlyForwarded;
import static dev.meshaware.agent.library.jetty.JettyChild.assertForwardedWithAppSet;
import static dev.meshaware.agent.library.jetty.JettyChild.assertNoneForwarded;
import static dev.meshaware.agent.library.jetty.JettyChild.encode;
import static dev.meshaware.agent.library.jetty.JettyChild.traceHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import dev.meshaware.agent.testing.ChildJvm;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Jetty 12 with the agent, in one child JVM ({@link Jetty12App}): requests into a core {@code
 * Handler} (behind a {@code Handler.Wrapper}) and into an ee10 servlet container with a filter,
 * calls out through Jetty's {@code HttpClient} (blocking and async), Spring's {@code WebClient} on
 * Jetty's connector and {@code HttpURLConnection}, to a recording downstream on loopback.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Jetty12IT {
  private static final int CORE = 0;
  private static final int SERVLET = 1;

  private JettyChild app;

  @BeforeAll
  void start() throws Exception {
    app = JettyChild.start(ChildJvm.running(Jetty12App.class).withLibraries());
  }

  @AfterAll
  void stop() throws Exception {
    if (app != null) {
      app.close();
    }
  }

  private String direct(String client, String url, Map<String, String> headers, String extra)
      throws Exception {
    return app.get(CORE, "/?mode=direct&client=" + client + "&url=" + encode(url) + extra, headers);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"jetty-blocking", "jetty-async", "webclient", "urlconnection"})
  void aCoreHandlersCallCarriesEachHeaderOnceWithItsExactValue(String client) throws Exception {
    Map<String, String> sent = traceHeaders("exact-" + client);
    assertThat(direct(client, app.allowed("/exact/" + client), sent, "")).isEqualTo("200");
    assertExactlyForwarded(app.only("/exact/" + client), sent);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"jetty-blocking", "jetty-async", "webclient"})
  void theHeaderTheApplicationSetWinsAndTheOthersStillCome(String client) throws Exception {
    Map<String, String> sent = traceHeaders("appset-" + client);
    assertThat(direct(client, app.allowed("/appset/" + client), sent, "&appset=" + APP_SPAN))
        .isEqualTo("200");
    assertForwardedWithAppSet(app.only("/appset/" + client), sent);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"jetty-blocking", "jetty-async", "webclient"})
  void anExcludedHostGetsNothing(String client) throws Exception {
    Map<String, String> sent = traceHeaders("excluded-" + client);
    assertThat(direct(client, app.excluded("/excluded/" + client), sent, "")).isEqualTo("200");
    assertNoneForwarded(app.only("/excluded/" + client), sent);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"jetty-blocking", "jetty-async", "webclient"})
  void aRequestWithoutHeadersForwardsNone(String client) throws Exception {
    assertThat(direct(client, app.allowed("/none/" + client), Map.of(), "")).isEqualTo("200");
    assertNoneForwarded(app.only("/none/" + client), traceHeaders("none"));
  }

  /** Jetty follows the redirects itself; each hop is decided by its own destination. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"jetty-blocking", "jetty-async", "webclient"})
  void aRedirectChainAllowedExcludedAllowedCarriesTheHeadersOnlyToTheAllowedHops(String client)
      throws Exception {
    String prefix = "/redirect/" + client;
    app.redirect(prefix + "/1", app.excluded(prefix + "/2"));
    app.redirect(prefix + "/2", app.allowed(prefix + "/3"));
    Map<String, String> sent = traceHeaders("redirect-" + client);

    assertThat(direct(client, app.allowed(prefix + "/1"), sent, "&appset=" + APP_SPAN))
        .isEqualTo("200");

    assertForwardedWithAppSet(app.only(prefix + "/1"), sent);
    Map<String, String> forwarded = new java.util.LinkedHashMap<>(sent);
    forwarded.remove(Jetty12App.APP_SET_HEADER);
    assertNoneForwarded(app.only(prefix + "/2"), forwarded);
    assertThat(app.only(prefix + "/2").getHeader(Jetty12App.APP_SET_HEADER)).isEqualTo(APP_SPAN);
    assertForwardedWithAppSet(app.only(prefix + "/3"), sent);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"jetty-async", "urlconnection"})
  void aHandlerThatCompletesItsCallbackLaterOnAnotherThreadStillCarriesItsRequest(String client)
      throws Exception {
    Map<String, String> sent = traceHeaders("later-" + client);
    String url = encode(app.allowed("/later/" + client));
    assertThat(app.get(CORE, "/?mode=later&client=" + client + "&url=" + url, sent))
        .isEqualTo("200");
    assertExactlyForwarded(app.only("/later/" + client), sent);
  }

  @Test
  void aHandlerWrapperAlreadySeesTheHeaders() throws Exception {
    Map<String, String> sent = traceHeaders("wrapper");
    String query =
        "/?mode=direct&client=urlconnection&url="
            + encode(app.allowed("/wrapper/inner"))
            + "&wrapper="
            + encode(app.allowed("/wrapper/outer"));
    assertThat(app.get(CORE, query, sent)).isEqualTo("200");
    assertExactlyForwarded(app.only("/wrapper/outer"), sent);
    assertExactlyForwarded(app.only("/wrapper/inner"), sent);
  }

  /**
   * A's response waits on a latch until B's whole exchange, its response listener included, has run
   * on the client's threads; then A's listener runs there. Each listener's own call carries its own
   * request's headers.
   */
  @Test
  void twoExchangesInterleavedOnTheClientsThreadsEachKeepTheirOwnHeaders() throws Exception {
    Map<String, String> a = traceHeaders("interleave-a");
    Map<String, String> b = traceHeaders("interleave-b");
    b.put("x-b3-traceid", "11111111111111111111111111111111");
    CompletableFuture<String> first =
        app.send(CORE, "/?mode=interleave-a&url=" + encode(app.allowed("/il/a/after")), a);
    // A's request to the held endpoint is in flight before B starts.
    app.awaitLineContaining("JETTY-HOLDING");
    String second = app.get(CORE, "/?mode=interleave-b&url=" + encode(app.allowed("/il/b")), b);
    String firstAnswer = first.get(40, TimeUnit.SECONDS);

    assertThat(second).startsWith("200 ");
    assertThat(firstAnswer).startsWith("200 ");
    assertExactlyForwarded(app.only("/il/b"), b);
    assertExactlyForwarded(app.only("/il/b/after"), b);
    assertExactlyForwarded(app.only("/il/a/after"), a);
  }

  /** A request sent by a thread of no request, and its listener's call, carry nothing. */
  @Test
  void workOfNoRequestOnTheClientsThreadsCarriesNothing() throws Exception {
    Map<String, String> sent = traceHeaders("orphan");
    for (int i = 0; i < 3; i++) {
      // Busy the client's threads with requests that do have headers first.
      assertThat(direct("jetty-async", app.allowed("/busy/" + i), sent, "")).isEqualTo("200");
    }
    assertThat(app.get(CORE, "/?mode=orphan&url=" + encode(app.allowed("/orphan")), sent))
        .isEqualTo("200");
    assertNoneForwarded(app.only("/orphan"), sent);
    assertNoneForwarded(app.only("/orphan/after"), sent);
  }

  @Test
  void servletFiltersSeeTheHeadersAndTheRequestIsCountedOnce() throws Exception {
    Map<String, String> sent = traceHeaders("filter");
    String seen = app.get(SERVLET, "/s?filtercall=" + encode(app.allowed("/filter")), sent);
    assertThat(seen).isEqualTo("REQUEST:200:inflight=1");
    assertExactlyForwarded(app.only("/filter/REQUEST"), sent);
  }

  @Test
  void anAsyncDispatchFromAThreadOfNoRequestRunsItsFiltersWithTheRequestsHeaders()
      throws Exception {
    Map<String, String> sent = traceHeaders("async-dispatch");
    String seen = app.get(SERVLET, "/s?async=1&filtercall=" + encode(app.allowed("/async")), sent);
    assertThat(seen).isEqualTo("REQUEST:200:inflight=1 ASYNC:200:inflight=1");
    assertExactlyForwarded(app.only("/async/REQUEST"), sent);
    assertExactlyForwarded(app.only("/async/ASYNC"), sent);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"jetty-blocking", "jetty-async"})
  void anEmptyNotFoundOfTheSidecarIsReportedAndTheApplicationGetsItUnchanged(String client)
      throws Exception {
    awaitRepeatInterval();
    String path = "/diag/nr/" + client;
    app.downstream.stubFor(
        get(urlPathEqualTo(path))
            .willReturn(
                aResponse()
                    .withStatus(404)
                    .withHeader("server", "envoy")
                    .withHeader("content-length", "0")));
    Map<String, String> sent = traceHeaders("diag-nr-" + client);
    assertThat(direct(client, app.allowed(path), sent, "")).isEqualTo("404");
    String line = app.awaitLineContaining("x-request-id=" + sent.get("x-request-id"));
    assertThat(line)
        .startsWith("[meshaware] WARNING mesh failure NR")
        .contains("GET " + app.allowed(path) + " -> 404");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"jetty-blocking", "jetty-async"})
  void aConnectionResetWithoutAnAnswerIsReported(String client) throws Exception {
    awaitRepeatInterval();
    String path = "/diag/reset/" + client;
    app.downstream.stubFor(
        get(urlPathEqualTo(path))
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    Map<String, String> sent = traceHeaders("diag-reset-" + client);
    assertThat(direct(client, app.allowed(path), sent, "")).matches("(?s)(failed|error) .*");
    String line = app.awaitLineContaining("x-request-id=" + sent.get("x-request-id"));
    assertThat(line)
        .startsWith("[meshaware] WARNING mesh failure")
        .contains("GET " + app.allowed(path) + " -> no HTTP answer (");
  }

  /**
   * One line per host and cause per repeat interval (1 s here, the shortest): the cases of one
   * cause go to the same host, so each waits for the interval the previous one started.
   */
  private static void awaitRepeatInterval() throws InterruptedException {
    Thread.sleep(1100);
  }
}
