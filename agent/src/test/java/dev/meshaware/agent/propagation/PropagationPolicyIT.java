package dev.meshaware.agent.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.meshaware.agent.apps.ServiceApp;
import dev.meshaware.agent.testing.ChildJvm;
import dev.meshaware.agent.testing.MeshedService;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The header policy in a real child JVM: what is forwarded, what never is, who wins. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PropagationPolicyIT {
  private static final List<String> CLIENTS = PropagationMatrixIT.HTTP_CLIENTS;
  private MeshedService plain;
  private MeshedService configured;

  @BeforeAll
  void start() throws Exception {
    plain = MeshedService.start("jdk", ChildJvm.running(ServiceApp.class));
    configured =
        MeshedService.start(
            "jdk",
            ChildJvm.running(ServiceApp.class)
                .property(
                    "meshaware.propagation.extra-headers",
                    "end-user,authorization,x-envoy-retry-on,x-forwarded-client-cert")
                .property("meshaware.propagation.exclude-hosts", "localhost"));
  }

  @AfterAll
  void stop() throws Exception {
    plain.close();
    configured.close();
  }

  private static Map<String, String> withSensitiveHeaders(String id) {
    Map<String, String> headers = new LinkedHashMap<>(PropagationMatrixIT.traceHeaders(id));
    headers.put("end-user", "jason");
    headers.put("authorization", "Bearer secret-token");
    headers.put("cookie", "session=abc");
    headers.put("x-envoy-retry-on", "5xx");
    headers.put("x-envoy-attempt-count", "1");
    headers.put("x-forwarded-client-cert", "By=spiffe://cluster.local/ns/default/sa/a;Hash=1");
    return headers;
  }

  @Test
  void aHeaderTheApplicationSetItselfWinsAndIsNotDuplicated() throws Exception {
    for (String client : CLIENTS) {
      String path = "/appset-" + client;
      assertThat(
              plain.call(
                  "client=" + client + "&appset=app-span&path=" + path,
                  PropagationMatrixIT.traceHeaders("appset")))
          .as(client)
          .isEqualTo("200");
      LoggedRequest received = plain.received(path).get(0);
      assertThat(received.getHeaders().getHeader("x-b3-spanid").values())
          .as(client)
          .containsExactly("app-span");
      assertThat(received.getHeader("x-b3-traceid")).as(client).isNotNull();
    }
  }

  @Test
  void neverForwardsCredentialsRoutingOrEnvoyHeadersUnlessNamed() throws Exception {
    assertThat(plain.call("client=okhttp&path=/defaults", withSensitiveHeaders("d")))
        .isEqualTo("200");
    LoggedRequest received = plain.received("/defaults").get(0);
    assertThat(received.getHeader("x-request-id")).isNotNull();
    for (String name :
        List.of(
            "end-user",
            "authorization",
            "cookie",
            "x-envoy-retry-on",
            "x-envoy-attempt-count",
            "x-forwarded-client-cert")) {
      assertThat(received.getHeader(name)).as(name).isNull();
    }
  }

  @Test
  void forwardsNamedExtraHeadersButNeverEnvoysOwn() throws Exception {
    assertThat(configured.call("client=apache5&path=/extra", withSensitiveHeaders("e")))
        .isEqualTo("200");
    LoggedRequest received = configured.received("/extra").get(0);
    assertThat(received.getHeader("end-user")).isEqualTo("jason");
    assertThat(received.getHeader("authorization")).isEqualTo("Bearer secret-token");
    assertThat(received.getHeader("cookie")).isNull();
    assertThat(received.getHeader("x-envoy-retry-on")).isNull();
    assertThat(received.getHeader("x-forwarded-client-cert")).isNull();
    assertThat(configured.output())
        .contains(
            "[meshaware] WARNING meshaware.propagation.extra-headers names 'x-envoy-retry-on',"
                + " which is never forwarded because it belongs to the sidecar")
        .contains("names 'x-forwarded-client-cert', which is never forwarded");
  }

  @Test
  void sendsNothingToExcludedHosts() throws Exception {
    for (String client : CLIENTS) {
      String path = "/excluded-" + client;
      assertThat(
              configured.call(
                  "client=" + client + "&host=localhost&path=" + path,
                  PropagationMatrixIT.traceHeaders("x")))
          .as(client)
          .isEqualTo("200");
      LoggedRequest received = configured.received(path).get(0);
      assertThat(received.getHeader("x-request-id")).as(client).isNull();
      assertThat(received.getHeader("traceparent")).as(client).isNull();
    }
    assertThat(
            configured.call("client=okhttp&path=/included", PropagationMatrixIT.traceHeaders("i")))
        .isEqualTo("200");
    assertThat(configured.received("/included").get(0).getHeader("x-request-id")).isNotNull();
  }

  @Test
  void neverForwardsEmptyControlNonAsciiOrOversizedValues() throws Exception {
    String oversized = "o".repeat(5000);
    String response =
        rawRequest(
            plain,
            "/call?client=urlconnection&path=/bad-values",
            "x-request-id: ok-id\r\n"
                + "x-b3-parentspanid: \r\n"
                + "x-b3-flags: a\u0001b\r\n"
                + "x-ot-span-context: caf\u00e9\r\n"
                + "x-cloud-trace-context: "
                + oversized
                + "\r\n");
    assertThat(response).startsWith("HTTP/1.1 200");
    LoggedRequest received = plain.received("/bad-values").get(0);
    assertThat(received.getHeader("x-request-id")).isEqualTo("ok-id");
    assertThat(received.containsHeader("x-b3-parentspanid")).as("empty parent span id").isFalse();
    assertThat(received.getHeader("x-b3-flags")).as("control character").isNull();
    assertThat(received.containsHeader("x-ot-span-context")).as("non-ASCII").isFalse();
    assertThat(received.containsHeader("x-cloud-trace-context")).as("oversized").isFalse();
  }

  /** Sends header bytes exactly as given (ISO-8859-1), which no client library would send. */
  private static String rawRequest(MeshedService service, String target, String headers)
      throws Exception {
    URI base = URI.create(service.baseUrl());
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      OutputStream out = socket.getOutputStream();
      String request =
          "GET "
              + target
              + " HTTP/1.1\r\nHost: "
              + base.getAuthority()
              + "\r\n"
              + headers
              + "Connection: close\r\n\r\n";
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
