package dev.meshaware.agent.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.meshaware.agent.apps.ServiceApp;
import dev.meshaware.agent.testing.ChildJvm;
import dev.meshaware.agent.testing.MeshedService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every inbound server with every outbound client, in a real child JVM with the agent: the exact
 * inbound values arrive downstream.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PropagationMatrixIT {
  /** The blocking HTTP clients of the test application. */
  static final List<String> HTTP_CLIENTS =
      List.of(
          "urlconnection",
          "jdk",
          "jdk-async",
          "okhttp",
          "okhttp-async",
          "apache5",
          "apache5-async",
          "apache4");

  private static final List<String> CLIENTS =
      java.util.stream.Stream.concat(
              HTTP_CLIENTS.stream(), java.util.stream.Stream.of("reactor-netty"))
          .collect(java.util.stream.Collectors.toList());
  private static final AtomicInteger IDS = new AtomicInteger();
  private final Map<String, MeshedService> services = new LinkedHashMap<>();

  @BeforeAll
  void startServices() throws Exception {
    for (String inbound : List.of("jdk", "tomcat", "jetty", "reactor")) {
      services.put(inbound, MeshedService.start(inbound, ChildJvm.running(ServiceApp.class)));
    }
  }

  @AfterAll
  void stopServices() throws Exception {
    for (MeshedService service : services.values()) {
      service.close();
    }
  }

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

  @org.junit.jupiter.api.Test
  void forwardsNothingWithoutTheAgentSoTheMatrixCanFail() throws Exception {
    try (MeshedService bare =
        MeshedService.start("jdk", ChildJvm.running(ServiceApp.class).withoutAgent())) {
      for (String client : CLIENTS) {
        String path = "/bare-" + client;
        assertThat(bare.call("client=" + client + "&path=" + path, traceHeaders("bare")))
            .isEqualTo("200");
        assertThat(bare.received(path).get(0).getHeader("x-request-id")).as(client).isNull();
      }
    }
  }

  @ParameterizedTest(name = "{0} inbound")
  @ValueSource(strings = {"jdk", "tomcat", "jetty", "reactor"})
  void forwardsTheExactInboundValuesThroughEveryClient(String inbound) throws Exception {
    MeshedService service = services.get(inbound);
    for (String client : CLIENTS) {
      String id = inbound + "-" + client + "-" + IDS.incrementAndGet();
      String path = "/" + id;
      Map<String, String> sent = traceHeaders(id);
      String body = service.call("client=" + client + "&path=" + path, sent);
      assertThat(body).as(client + " via " + inbound + "\n" + service.output()).isEqualTo("200");

      List<LoggedRequest> received = service.received(path);
      assertThat(received).as(client).hasSize(1);
      sent.forEach(
          (name, value) ->
              assertThat(received.get(0).getHeader(name)).as(client + " " + name).isEqualTo(value));
      assertThat(received.get(0).getHeaders().getHeader("x-request-id").values())
          .as(client + ": one x-request-id, not two")
          .hasSize(1);
    }
    assertThat(service.output().lines())
        .as("the agent must not make the JVM print warnings (libraries may)")
        .noneMatch(l -> l.startsWith("WARNING:") && l.contains("dev.meshaware"))
        .noneMatch(l -> l.contains("sun.misc.Unsafe"));
  }
}
