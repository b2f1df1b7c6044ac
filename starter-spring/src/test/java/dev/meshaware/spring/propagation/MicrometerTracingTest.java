package dev.meshaware.spring.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.meshaware.spring.testing.Downstream;
import dev.meshaware.spring.testing.Inbound;
import dev.meshaware.spring.testing.MvcApp;
import dev.meshaware.spring.testing.RunningApp;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.WebApplicationType;

/**
 * With Micrometer Tracing (Brave, B3 multi-header) in the application as well: the headers
 * Micrometer injects win (its client span id replaces the inbound one, in the same trace),
 * meshaware still forwards what Micrometer does not (x-request-id, traceparent, the extra header),
 * and no header is sent twice.
 */
class MicrometerTracingTest {
  private static Downstream downstream;
  private static RunningApp app;

  @BeforeAll
  static void start() {
    downstream = new Downstream();
    app =
        RunningApp.start(
            WebApplicationType.SERVLET,
            MvcApp.class,
            true,
            "app.downstream=" + downstream.url(),
            "meshaware.propagation.extra-headers=" + Inbound.EXTRA,
            "management.tracing.propagation.type=b3_multi",
            "management.tracing.sampling.probability=1.0");
  }

  @AfterAll
  static void stop() {
    app.close();
    downstream.close();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"resttemplate", "restclient", "webclient"})
  void micrometersHeadersWinAndNothingIsDuplicated(String client) throws Exception {
    String path = "/traced-" + client;
    app.get("/call/" + client + "?path=" + path, Inbound.all());

    LoggedRequest received = downstream.received(path);
    Map<String, String> sent = Inbound.forwarded();
    for (String name : Inbound.forwardedNames()) {
      assertThat(Downstream.values(received, name)).as(client + ": " + name + " once").hasSize(1);
    }
    assertThat(received.getHeader("x-b3-traceid"))
        .as("Micrometer continues the inbound trace")
        .isEqualTo(sent.get("x-b3-traceid"));
    assertThat(received.getHeader("x-b3-spanid"))
        .as("Micrometer's client span id wins")
        .isNotEqualTo(sent.get("x-b3-spanid"))
        .matches("[0-9a-f]{16}");
    assertThat(received.getHeader("x-request-id")).isEqualTo(sent.get("x-request-id"));
    assertThat(received.getHeader("traceparent")).isEqualTo(sent.get("traceparent"));
    assertThat(received.getHeader(Inbound.EXTRA)).isEqualTo(sent.get(Inbound.EXTRA));
  }
}
