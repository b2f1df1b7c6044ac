package dev.meshaware.spring.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.meshaware.spring.testing.Downstream;
import dev.meshaware.spring.testing.Inbound;
import dev.meshaware.spring.testing.RunningApp;
import dev.meshaware.spring.testing.WebFluxApp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.WebApplicationType;

/**
 * A real WebFlux application on Reactor Netty: the request's headers ride in its Reactor context to
 * the {@code WebClient} calls its pipeline makes, across scheduler hops, and concurrent requests on
 * the same event loops never see each other's.
 */
class WebFluxPropagationTest {
  private static Downstream downstream;
  private static RunningApp app;

  @BeforeAll
  static void start() {
    downstream = new Downstream();
    app =
        RunningApp.start(
            WebApplicationType.REACTIVE,
            WebFluxApp.class,
            false,
            "app.downstream=" + downstream.url(),
            "meshaware.propagation.extra-headers=" + Inbound.EXTRA);
  }

  @AfterAll
  static void stop() {
    app.close();
    downstream.close();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"call", "hop"})
  void forwardsInboundHeadersExactlyOnce(String endpoint) throws Exception {
    String path = "/webflux-" + endpoint;
    assertThat(app.get("/" + endpoint + "?path=" + path, Inbound.all()).body()).isEqualTo("down");

    LoggedRequest received = downstream.received(path);
    for (Map.Entry<String, String> header : Inbound.forwarded().entrySet()) {
      assertThat(Downstream.values(received, header.getKey()))
          .as(header.getKey())
          .containsExactly(header.getValue());
    }
    for (String name : Inbound.notForwarded().keySet()) {
      assertThat(Downstream.values(received, name)).as(name).isEmpty();
    }
  }

  @Test
  void requestWithoutTraceHeadersForwardsNone() throws Exception {
    app.get("/hop?path=/webflux-bare", Map.of());

    LoggedRequest received = downstream.received("/webflux-bare");
    for (String name : Inbound.forwardedNames()) {
      assertThat(Downstream.values(received, name)).as(name).isEmpty();
    }
  }

  @Test
  void concurrentRequestsKeepTheirOwnHeaders() throws Exception {
    ExecutorService senders = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        Map<String, String> headers = new LinkedHashMap<>(Inbound.forwarded());
        headers.put("x-request-id", "request-" + i);
        // Every other request carries no headers at all: it must not pick up a neighbour's.
        Map<String, String> chosen = i % 2 == 0 ? headers : Map.of();
        String path = "/hop?path=/iso-" + i;
        sent.add(senders.submit(() -> app.get(path, chosen)));
      }
      for (Future<?> future : sent) {
        future.get();
      }
    } finally {
      senders.shutdownNow();
    }
    for (int i = 0; i < 40; i++) {
      List<String> ids = Downstream.values(downstream.received("/iso-" + i), "x-request-id");
      assertThat(ids)
          .as("request " + i)
          .isEqualTo(i % 2 == 0 ? List.of("request-" + i) : List.of());
    }
  }
}
