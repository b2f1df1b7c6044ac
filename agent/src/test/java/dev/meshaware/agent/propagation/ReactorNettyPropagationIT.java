package dev.meshaware.agent.propagation;

import static dev.meshaware.agent.propagation.PropagationMatrixIT.traceHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.meshaware.agent.apps.ServiceApp;
import dev.meshaware.agent.testing.ChildJvm;
import dev.meshaware.agent.testing.MeshedService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * Reactor Netty on both sides, in a real child JVM with the agent: the Reactor Netty server as
 * inbound, its {@code HttpClient} as outbound, the reactive pipelines between them, and the client
 * used by thread-per-request servers. Clients: {@code reactor-netty} blocks on one call, {@code
 * reactor-netty-future} waits on a future, {@code reactor-netty-chain} blocks on two chained calls.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReactorNettyPropagationIT {
  private static final List<String> TRACE_NAMES = List.copyOf(traceHeaders("names").keySet());
  private static final AtomicInteger IDS = new AtomicInteger();
  private final Map<String, MeshedService> services = new LinkedHashMap<>();

  @BeforeAll
  void startServices() throws Exception {
    for (String inbound : List.of("reactor", "jdk", "tomcat")) {
      services.put(inbound, MeshedService.start(inbound, ChildJvm.running(ServiceApp.class)));
    }
  }

  @AfterAll
  void stopServices() throws Exception {
    for (MeshedService service : services.values()) {
      service.close();
    }
  }

  @ParameterizedTest(name = "reactor inbound, {0} client")
  @ValueSource(strings = {"urlconnection", "okhttp", "reactor-netty"})
  void reactorInboundForwardsTheExactValuesThroughBlockingClients(String client) throws Exception {
    assertForwarded("reactor", "client=" + client, 1);
  }

  @ParameterizedTest(name = "{0} inbound, {1} client")
  @CsvSource({
    "jdk, reactor-netty",
    "tomcat, reactor-netty",
    "jdk, reactor-netty-future",
    "tomcat, reactor-netty-future"
  })
  void reactorNettyClientCalledByARequestThreadForwardsItsValues(String inbound, String client)
      throws Exception {
    assertForwarded(inbound, "client=" + client, 1);
  }

  @ParameterizedTest(name = "{0} inbound")
  @ValueSource(strings = {"jdk", "tomcat", "reactor"})
  void aPipelineBlockedOnByARequestThreadForwardsOnEveryCallInIt(String inbound) throws Exception {
    assertForwarded(inbound, "client=reactor-netty-chain", 2);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "reactor-direct",
        "reactor-delay",
        "reactor-publishon",
        "reactor-subscribeon",
        "reactor-chain"
      })
  void forwardsThroughReactiveOperatorsWithoutBlocking(String hop) throws Exception {
    assertForwarded("reactor", "hop=" + hop, hop.equals("reactor-chain") ? 2 : 1);
  }

  @Test
  void keepsTheSpanIdTheApplicationSetItself() throws Exception {
    for (String[] route :
        List.of(
            new String[] {"reactor", "hop=reactor-delay"},
            new String[] {"reactor", "client=reactor-netty"},
            new String[] {"jdk", "client=reactor-netty"})) {
      MeshedService service = services.get(route[0]);
      String path = "/appset-" + IDS.incrementAndGet();
      Map<String, String> sent = traceHeaders("appset-" + path);
      String body = service.call(route[1] + "&appset=app-span-7&path=" + path, sent);
      assertThat(body).as(String.join(" ", route) + "\n" + service.output()).isEqualTo("200");

      LoggedRequest received = service.received(path).get(0);
      assertThat(received.getHeaders().getHeader("x-b3-spanid").values())
          .as(String.join(" ", route))
          .containsExactly("app-span-7");
      assertThat(received.getHeader("x-request-id")).isEqualTo(sent.get("x-request-id"));
    }
  }

  @Test
  void concurrentRequestsEachCarryExactlyTheirOwnHeaders() throws Exception {
    MeshedService service = services.get("reactor");
    List<String> routes =
        List.of(
            "hop=reactor-delay",
            "hop=reactor-chain",
            "hop=reactor-publishon",
            "hop=reactor-direct",
            "client=reactor-netty",
            "client=okhttp");
    ExecutorService senders = Executors.newFixedThreadPool(16);
    try {
      List<Future<String>> answers = new ArrayList<>();
      Map<String, Map<String, String>> sentByPath = new LinkedHashMap<>();
      Map<String, String> routeByPath = new LinkedHashMap<>();
      for (int i = 0; i < 96; i++) {
        String route = routes.get(i % routes.size());
        String path = "/storm-" + i;
        // Every fifth request has no trace headers: it must not pick up a neighbour's.
        Map<String, String> sent = i % 5 == 0 ? Map.of() : traceHeaders("storm-" + i);
        sentByPath.put(path, sent);
        routeByPath.put(path, route);
        answers.add(senders.submit(() -> service.call(route + "&path=" + path, sent)));
      }
      for (Future<String> answer : answers) {
        assertThat(answer.get(60, TimeUnit.SECONDS)).as(service.output()).isEqualTo("200");
      }
      for (Map.Entry<String, Map<String, String>> entry : sentByPath.entrySet()) {
        String path = entry.getKey();
        int expected = routeByPath.get(path).equals("hop=reactor-chain") ? 2 : 1;
        List<LoggedRequest> received = service.received(path);
        assertThat(received).as(path).hasSize(expected);
        for (LoggedRequest request : received) {
          for (String name : TRACE_NAMES) {
            assertThat(request.getHeader(name))
                .as(path + " via " + routeByPath.get(path) + ": " + name)
                .isEqualTo(entry.getValue().get(name));
          }
        }
      }
    } finally {
      senders.shutdownNow();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"hop=reactor-outside", "hop=outside&client=reactor-netty"})
  void callsMadeOutsideAnyRequestCarryNothing(String route) throws Exception {
    MeshedService service = services.get("reactor");
    String path = "/outside-" + IDS.incrementAndGet();
    assertThat(service.call(route + "&path=" + path, traceHeaders("outside")))
        .isEqualTo("scheduled");
    List<LoggedRequest> received = service.awaitReceived(path, 1);
    assertThat(received).as(service.output()).hasSize(1);
    for (String name : TRACE_NAMES) {
      assertThat(received.get(0).getHeader(name)).as(name).isNull();
    }
  }

  @Test
  void anExcludedHostGetsNothing() throws Exception {
    try (MeshedService excluding =
        MeshedService.start(
            "reactor",
            ChildJvm.running(ServiceApp.class)
                .property("meshaware.propagation.exclude-hosts", "127.0.0.1"))) {
      for (String route : List.of("hop=reactor-delay", "client=reactor-netty")) {
        String path = "/excluded-" + IDS.incrementAndGet();
        assertThat(excluding.call(route + "&path=" + path, traceHeaders("excluded")))
            .as(excluding.output())
            .isEqualTo("200");
        LoggedRequest received = excluding.received(path).get(0);
        for (String name : TRACE_NAMES) {
          assertThat(received.getHeader(name)).as(route + " " + name).isNull();
        }
      }
    }
  }

  /** Sends a request with trace headers; the downstream must get exactly those, once each. */
  private void assertForwarded(String inbound, String route, int calls) throws Exception {
    MeshedService service = services.get(inbound);
    String id = inbound + "-" + IDS.incrementAndGet();
    String path = "/" + id;
    Map<String, String> sent = traceHeaders(id);
    String body = service.call(route + "&path=" + path, sent);
    assertThat(body).as(route + " via " + inbound + "\n" + service.output()).isEqualTo("200");

    List<LoggedRequest> received = service.received(path);
    assertThat(received).as(route).hasSize(calls);
    for (LoggedRequest request : received) {
      sent.forEach(
          (name, value) ->
              assertThat(request.getHeader(name)).as(route + " " + name).isEqualTo(value));
      assertThat(request.getHeaders().getHeader("x-request-id").values())
          .as(route + ": one x-request-id, not two")
          .hasSize(1);
    }
  }
}
