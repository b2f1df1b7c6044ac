package dev.meshaware.agent.propagation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.meshaware.agent.apps.ServiceApp;
import dev.meshaware.agent.testing.ChildJvm;
import dev.meshaware.agent.testing.MeshedService;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Redirect chains allowed -> excluded -> allowed through every client that follows redirects by
 * itself, in a child JVM with the agent; every host is on loopback. The excluded hop gets none of
 * the forwarded headers, the allowed hop after it gets them again (each request is decided by its
 * own destination), and the header the application set itself reaches every hop unchanged.
 *
 * <p>Two ways to be excluded: by name ({@code localhost}, while the allowed hops call {@code
 * 127.0.0.1}) and by port (a pattern {@code 127.0.0.1:<port>} naming a second server).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedirectExclusionIT {
  private static final String APP_SPAN = "app-span";
  private static final List<String> FORWARDED =
      List.of(
          "x-request-id",
          "x-b3-traceid",
          "x-b3-parentspanid",
          "x-b3-sampled",
          "traceparent",
          "tracestate");

  private WireMockServer excludedPort;
  private WireMockServer ipv6;
  private MeshedService service;

  @BeforeAll
  void start() throws Exception {
    excludedPort = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    excludedPort.start();
    try {
      ipv6 = new WireMockServer(options().dynamicPort().bindAddress("::1"));
      ipv6.start();
    } catch (RuntimeException e) {
      ipv6 = null; // no IPv6 loopback on this machine
    }
    service =
        MeshedService.start(
            "jdk",
            ChildJvm.running(ServiceApp.class)
                .property(
                    "meshaware.propagation.exclude-hosts",
                    // The IPv6 loopback written as no client writes it.
                    "localhost, 127.0.0.1:" + excludedPort.port() + ", [0:0:0:0:0:0:0:1]"));
  }

  @AfterAll
  void stop() throws Exception {
    if (service != null) {
      service.close();
    }
    if (excludedPort != null) {
      excludedPort.stop();
    }
    if (ipv6 != null) {
      ipv6.stop();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "okhttp",
        "okhttp-async",
        "urlconnection",
        "jdk-follow",
        "jdk-follow-async",
        "apache5",
        "apache5-async",
        "apache4",
        "reactor-netty-follow"
      })
  void anExcludedHostInTheMiddleOfARedirectChainGetsNoneOfTheForwardedHeaders(String client)
      throws Exception {
    String prefix = "/name/" + client;
    String allowed = "http://127.0.0.1:" + service.downstream().port();
    String excluded = "http://localhost:" + service.downstream().port();
    redirect(service.downstream(), prefix + "/1", excluded + prefix + "/2");
    redirect(service.downstream(), prefix + "/2", allowed + prefix + "/3");

    assertThat(call(client, prefix + "/1")).isEqualTo("200");

    assertForwarded(client, only(service.received(prefix + "/1")));
    assertNotForwarded(client, only(service.received(prefix + "/2")));
    assertForwarded(client, only(service.received(prefix + "/3")));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "okhttp",
        "okhttp-async",
        "urlconnection",
        "jdk-follow",
        "jdk-follow-async",
        "apache5",
        "apache5-async",
        "apache4",
        "reactor-netty-follow"
      })
  void aHostPatternWithAPortExcludesOnlyThatPortWithinARedirectChain(String client)
      throws Exception {
    String prefix = "/port/" + client;
    String allowed = "http://127.0.0.1:" + service.downstream().port();
    String excluded = "http://127.0.0.1:" + excludedPort.port();
    redirect(service.downstream(), prefix + "/1", excluded + prefix + "/2");
    redirect(excludedPort, prefix + "/2", allowed + prefix + "/3");

    assertThat(call(client, prefix + "/1")).isEqualTo("200");

    assertForwarded(client, only(service.received(prefix + "/1")));
    assertNotForwarded(
        client,
        only(excludedPort.findAll(WireMock.getRequestedFor(urlPathEqualTo(prefix + "/2")))));
    assertForwarded(client, only(service.received(prefix + "/3")));
  }

  /**
   * Clients hold an IPv6 host differently ({@code ::1} in OkHttp and Apache, {@code [::1]} in
   * {@code java.net.URL} and {@code URI}); the pattern matches it in every form.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "okhttp",
        "okhttp-async",
        "urlconnection",
        "jdk-follow",
        "jdk-follow-async",
        "apache5",
        "apache5-async",
        "apache4",
        "reactor-netty-follow"
      })
  void anIpv6AddressIsExcludedHoweverTheClientWritesIt(String client) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(ipv6 != null, "no IPv6 loopback");
    String prefix = "/ipv6/" + client;
    String allowed = "http://127.0.0.1:" + service.downstream().port();
    String excluded = "http://[::1]:" + ipv6.port();
    redirect(service.downstream(), prefix + "/1", excluded + prefix + "/2");
    redirect(ipv6, prefix + "/2", allowed + prefix + "/3");

    assertThat(call(client, prefix + "/1")).isEqualTo("200");

    assertForwarded(client, only(service.received(prefix + "/1")));
    assertNotForwarded(
        client, only(ipv6.findAll(WireMock.getRequestedFor(urlPathEqualTo(prefix + "/2")))));
    assertForwarded(client, only(service.received(prefix + "/3")));
  }

  /**
   * The Apache async client sends its redirects from its I/O threads: a call made by a request
   * without trace headers carries none on any hop, whatever those threads ran before.
   */
  @org.junit.jupiter.api.Test
  void theApacheAsyncClientsRedirectsOfARequestWithoutHeadersCarryNone() throws Exception {
    String prefix = "/none/apache5-async";
    String allowed = "http://127.0.0.1:" + service.downstream().port();
    redirect(service.downstream(), prefix + "/1", allowed + prefix + "/2");
    call("apache5-async", "/warm/apache5-async"); // the I/O threads served a request with headers

    assertThat(
            service.call(
                "client=apache5-async&appset=" + APP_SPAN + "&path=" + prefix + "/1",
                java.util.Map.of()))
        .isEqualTo("200");

    assertNotForwarded("apache5-async", only(service.received(prefix + "/1")));
    assertNotForwarded("apache5-async", only(service.received(prefix + "/2")));
  }

  private String call(String client, String path) throws Exception {
    return service.call(
        "client=" + client + "&appset=" + APP_SPAN + "&path=" + path,
        PropagationMatrixIT.traceHeaders(client));
  }

  private static void redirect(WireMockServer server, String path, String location) {
    server.stubFor(
        get(urlPathEqualTo(path))
            .willReturn(aResponse().withStatus(302).withHeader("Location", location)));
  }

  private static LoggedRequest only(List<LoggedRequest> requests) {
    assertThat(requests).hasSize(1);
    return requests.get(0);
  }

  private static void assertForwarded(String client, LoggedRequest hop) {
    for (String name : FORWARDED) {
      assertThat(hop.getHeader(name)).as(client + " " + hop.getUrl() + " " + name).isNotNull();
    }
    assertApplicationHeaderUntouched(client, hop);
  }

  private static void assertNotForwarded(String client, LoggedRequest hop) {
    for (String name : FORWARDED) {
      assertThat(hop.containsHeader(name)).as(client + " " + hop.getUrl() + " " + name).isFalse();
    }
    assertApplicationHeaderUntouched(client, hop);
  }

  private static void assertApplicationHeaderUntouched(String client, LoggedRequest hop) {
    assertThat(hop.getHeaders().getHeader("x-b3-spanid").values())
        .as(client + " " + hop.getUrl() + ": the header the application set")
        .containsExactly(APP_SPAN);
  }
}
