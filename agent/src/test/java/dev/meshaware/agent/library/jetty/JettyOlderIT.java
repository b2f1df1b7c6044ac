package dev.meshaware.agent.library.jetty;

import static dev.meshaware.agent.library.jetty.JettyChild.APP_SPAN;
import static dev.meshaware.agent.library.jetty.JettyChild.assertExactlyForwarded;
import static dev.meshaware.agent.library.jetty.JettyChild.assertForwardedWithAppSet;
import static dev.meshaware.agent.library.jetty.JettyChild.assertNoneForwarded;
import static dev.meshaware.agent.library.jetty.JettyChild.encode;
import static dev.meshaware.agent.library.jetty.JettyChild.traceHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.agent.testing.ChildJvm;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Jetty 10 and 11 with the agent, one child JVM per version ({@link JettyOlderApp}): the servlet
 * container's filters see the request's headers on every dispatch and count the request once, and
 * the filter's calls through that Jetty's {@code HttpClient} carry them, hop by hop.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JettyOlderIT {
  private JettyChild app;

  /** The child: {@link JettyOlderApp} with the profile's Jetty instead of Jetty 12. */
  abstract ChildJvm jvm();

  @BeforeAll
  void start() throws Exception {
    app = JettyChild.start(jvm());
  }

  @AfterAll
  void stop() throws Exception {
    if (app != null) {
      app.close();
    }
  }

  private String call(String client, String url, Map<String, String> headers, String extra)
      throws Exception {
    return app.get(0, "/s?client=" + client + "&url=" + encode(url) + extra, headers);
  }

  @Test
  void aFilterSeesTheHeadersAndItsBlockingCallCarriesEachOnceWithItsExactValue() throws Exception {
    Map<String, String> sent = traceHeaders("blocking");
    assertThat(call("blocking", app.allowed("/blocking"), sent, ""))
        .isEqualTo("REQUEST:200:inflight=1");
    assertExactlyForwarded(app.only("/blocking/REQUEST"), sent);
  }

  /** The async send's response listener runs on the client's threads with its own request. */
  @Test
  void anAsyncSendAndItsResponseListenerCarryTheRequestsHeaders() throws Exception {
    Map<String, String> sent = traceHeaders("async");
    assertThat(call("async", app.allowed("/async"), sent, ""))
        .isEqualTo("REQUEST:200+200:inflight=1");
    assertExactlyForwarded(app.only("/async/REQUEST"), sent);
    assertExactlyForwarded(app.only("/async/REQUEST/after"), sent);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"blocking", "async"})
  void theHeaderTheApplicationSetWins(String client) throws Exception {
    Map<String, String> sent = traceHeaders("appset-" + client);
    assertThat(call(client, app.allowed("/appset/" + client), sent, "&appset=" + APP_SPAN))
        .startsWith("REQUEST:200");
    assertForwardedWithAppSet(app.only("/appset/" + client + "/REQUEST"), sent);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"blocking", "async"})
  void anExcludedHostGetsNothing(String client) throws Exception {
    Map<String, String> sent = traceHeaders("excluded-" + client);
    assertThat(call(client, app.excluded("/excluded/" + client), sent, ""))
        .startsWith("REQUEST:200");
    assertNoneForwarded(app.only("/excluded/" + client + "/REQUEST"), sent);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"blocking", "async"})
  void aRequestWithoutHeadersForwardsNone(String client) throws Exception {
    assertThat(call(client, app.allowed("/none/" + client), Map.of(), ""))
        .startsWith("REQUEST:200");
    assertNoneForwarded(app.only("/none/" + client + "/REQUEST"), traceHeaders("none"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"blocking", "async"})
  void aRedirectChainAllowedExcludedAllowedCarriesTheHeadersOnlyToTheAllowedHops(String client)
      throws Exception {
    String prefix = "/redirect/" + client;
    app.redirect(prefix + "/REQUEST", app.excluded(prefix + "/2"));
    app.redirect(prefix + "/2", app.allowed(prefix + "/3"));
    Map<String, String> sent = traceHeaders("redirect-" + client);

    assertThat(call(client, app.allowed(prefix), sent, "&appset=" + APP_SPAN))
        .startsWith("REQUEST:200");

    assertForwardedWithAppSet(app.only(prefix + "/REQUEST"), sent);
    Map<String, String> forwarded = new LinkedHashMap<>(sent);
    forwarded.remove(Jetty12App.APP_SET_HEADER);
    assertNoneForwarded(app.only(prefix + "/2"), forwarded);
    assertThat(app.only(prefix + "/2").getHeader(Jetty12App.APP_SET_HEADER)).isEqualTo(APP_SPAN);
    assertForwardedWithAppSet(app.only(prefix + "/3"), sent);
  }

  @Test
  void anAsyncDispatchFromAThreadOfNoRequestRunsItsFiltersWithTheRequestsHeaders()
      throws Exception {
    Map<String, String> sent = traceHeaders("async-dispatch");
    assertThat(call("blocking", app.allowed("/dispatch"), sent, "&async=1"))
        .isEqualTo("REQUEST:200:inflight=1 ASYNC:200:inflight=1");
    assertExactlyForwarded(app.only("/dispatch/REQUEST"), sent);
    assertExactlyForwarded(app.only("/dispatch/ASYNC"), sent);
  }
}
