package dev.meshaware.agent.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.meshaware.agent.apps.ServiceApp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The promises every server and client pair keeps with the agent, checked on a running {@link
 * MeshedService}: exact values once each (the configured extra header {@code end-user} included), a
 * header the application set wins, an excluded host gets nothing, a request without headers
 * forwards none after others did. {@link AbstractServerIT} and {@link AbstractClientIT} run them.
 */
public final class HttpContract {
  private static final AtomicInteger IDS = new AtomicInteger();

  private HttpContract() {}

  /** The child JVM every contract test runs: the service, with the settings the checks assume. */
  public static ChildJvm serviceJvm() {
    return ChildJvm.running(ServiceApp.class)
        .property("meshaware.propagation.exclude-hosts", "localhost")
        .property("meshaware.propagation.extra-headers", "end-user");
  }

  /** The test's trace headers, with a unique {@code x-request-id} and {@code end-user}. */
  public static Map<String, String> traceHeaders(String id) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-request-id", "6a1e5b7c-2f3d-4e8a-9b0c-" + id);
    headers.put("x-b3-traceid", "80f198ee56343ba864fe8b2a57d3eff7");
    headers.put("x-b3-spanid", "e457b5a2e4d86bd1");
    headers.put("x-b3-parentspanid", "05e3ac9a4f6e3b90");
    headers.put("x-b3-sampled", "1");
    headers.put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    headers.put("tracestate", "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
    headers.put("end-user", "user-" + id);
    return headers;
  }

  private static LoggedRequest callOnce(
      MeshedService service,
      String server,
      String client,
      String extraQuery,
      Map<String, String> headers)
      throws Exception {
    String path = "/" + server + "-" + client + "-" + IDS.incrementAndGet();
    String body = service.call("client=" + client + "&path=" + path + extraQuery, headers);
    String where = client + " via " + server;
    assertThat(body).as(where + "\n" + service.output()).isEqualTo("200");
    List<LoggedRequest> received = service.received(path);
    assertThat(received).as(where + ": one call downstream").hasSize(1);
    return received.get(0);
  }

  public static void exactValuesOnceEach(MeshedService service, String server, String client)
      throws Exception {
    Map<String, String> sent = traceHeaders(server + "-" + client);
    LoggedRequest received = callOnce(service, server, client, "", sent);
    sent.forEach(
        (name, value) ->
            assertThat(received.getHeaders().getHeader(name).values())
                .as(client + " via " + server + ": " + name)
                .containsExactly(value));
  }

  public static void applicationSetHeaderWins(MeshedService service, String server, String client)
      throws Exception {
    LoggedRequest received =
        callOnce(service, server, client, "&appset=app-span", traceHeaders("appset"));
    assertThat(received.getHeaders().getHeader(TestHttp.APP_SET_HEADER).values())
        .as(client + " via " + server)
        .containsExactly("app-span");
    assertThat(received.getHeader("x-b3-traceid")).as(client + " via " + server).isNotNull();
  }

  public static void excludedHostGetsNothing(MeshedService service, String server, String client)
      throws Exception {
    LoggedRequest received =
        callOnce(service, server, client, "&host=localhost", traceHeaders("excluded"));
    assertThat(received.getHeader("x-request-id")).as(client + " via " + server).isNull();
    assertThat(received.getHeader("end-user")).as(client + " via " + server).isNull();
  }

  public static void noneForNone(MeshedService service, String server, String client)
      throws Exception {
    callOnce(service, server, client, "", traceHeaders("before"));
    LoggedRequest received = callOnce(service, server, client, "", Map.of());
    assertThat(received.getHeader("x-request-id")).as(client + " via " + server).isNull();
    assertThat(received.getHeader("end-user")).as(client + " via " + server).isNull();
  }
}
