package dev.meshaware.agent.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.agent.apps.ExistingHttp;
import dev.meshaware.agent.apps.ServiceApp;
import dev.meshaware.agent.testing.ChildJvm;
import dev.meshaware.agent.testing.HttpContract;
import dev.meshaware.agent.testing.MeshedService;
import dev.meshaware.agent.testing.TestHttp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every inbound server with every outbound client, in a real child JVM with the agent: the exact
 * inbound values arrive downstream.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PropagationMatrixIT {
  /** The first tier's blocking HTTP clients, for the policy tests: all but the reactive one. */
  static final List<String> HTTP_CLIENTS =
      new ExistingHttp()
          .clients().keySet().stream()
              .filter(name -> !name.equals("reactor-netty"))
              .collect(java.util.stream.Collectors.toUnmodifiableList());

  /** Every registered client. */
  private static final List<String> CLIENTS = List.copyOf(TestHttp.clients().keySet());

  private final Map<String, MeshedService> services = new LinkedHashMap<>();

  @BeforeAll
  void startServices() throws Exception {
    for (String inbound : TestHttp.servers().keySet()) {
      services.put(inbound, MeshedService.start(inbound, HttpContract.serviceJvm()));
    }
  }

  @AfterAll
  void stopServices() throws Exception {
    for (MeshedService service : services.values()) {
      service.close();
    }
  }

  static Map<String, String> traceHeaders(String id) {
    Map<String, String> headers = new LinkedHashMap<>(HttpContract.traceHeaders(id));
    headers.remove("end-user");
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

  static java.util.stream.Stream<String> servers() {
    return TestHttp.servers().keySet().stream();
  }

  @ParameterizedTest(name = "{0} inbound")
  @MethodSource("servers")
  void forwardsTheExactInboundValuesThroughEveryClient(String inbound) throws Exception {
    MeshedService service = services.get(inbound);
    for (String client : CLIENTS) {
      HttpContract.exactValuesOnceEach(service, inbound, client);
    }
    assertThat(service.output().lines())
        .as("the agent must not make the JVM print warnings (libraries may)")
        .noneMatch(l -> l.startsWith("WARNING:") && l.contains("dev.meshaware"))
        // JDK 24+ names the caller of a deprecated Unsafe method: a library's (jboss-threads,
        // Undertow's) is its own business, the agent's never
        .noneMatch(l -> l.contains("sun.misc.Unsafe") && l.contains("dev.meshaware"));
  }
}
