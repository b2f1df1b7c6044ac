package dev.meshaware.agent.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.meshaware.agent.apps.ServiceApp;
import dev.meshaware.agent.testing.ChildJvm;
import dev.meshaware.agent.testing.MeshedService;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same service with the OpenTelemetry Java agent attached as well (B3 multi-header propagation,
 * no exporters): no header is duplicated, the values OpenTelemetry injects win (its client span id
 * replaces the inbound one), meshaware still forwards what OpenTelemetry does not (x-request-id,
 * traceparent), and nothing breaks. Both agent orders.
 */
class OpenTelemetryCoexistenceIT {
  private static final Path OTEL =
      Paths.get("target", "child-libs", "otel", "opentelemetry-javaagent.jar");
  private static final List<String> CLIENTS =
      List.of("urlconnection", "jdk", "okhttp", "apache5", "apache4");

  @ParameterizedTest(name = "OpenTelemetry agent first: {0}")
  @ValueSource(booleans = {true, false})
  void opentelemetryWinsWhereItInjectsAndNothingIsDuplicated(boolean otelFirst) throws Exception {
    ChildJvm jvm =
        ChildJvm.running(ServiceApp.class)
            .withOtherAgent(OTEL, otelFirst)
            .property("otel.propagators", "b3multi")
            .property("otel.traces.exporter", "none")
            .property("otel.metrics.exporter", "none")
            .property("otel.logs.exporter", "none")
            .property("otel.javaagent.logging", "none")
            .property("meshaware.debug", "true");
    try (MeshedService service = MeshedService.start("tomcat", jvm)) {
      for (String client : CLIENTS) {
        String path = "/otel-" + otelFirst + "-" + client;
        Map<String, String> sent = PropagationMatrixIT.traceHeaders(client);
        assertThat(service.call("client=" + client + "&path=" + path, sent))
            .as(client + "\n" + service.output())
            .isEqualTo("200");
        LoggedRequest received = service.received(path).get(0);
        assertThat(received.containsHeader("x-request-id"))
            .as(client + " x-request-id\n" + received + "\n" + service.output())
            .isTrue();
        for (String name :
            List.of("x-request-id", "x-b3-traceid", "x-b3-spanid", "x-b3-sampled", "traceparent")) {
          assertThat(received.getHeaders().getHeader(name).values())
              .as(client + " " + name + " once")
              .hasSize(1);
        }
        assertThat(received.getHeader("x-b3-traceid"))
            .as(client + ": OpenTelemetry continues the inbound trace")
            .isEqualTo(sent.get("x-b3-traceid"));
        assertThat(received.getHeader("x-b3-spanid"))
            .as(client + ": OpenTelemetry's client span id wins")
            .isNotEqualTo(sent.get("x-b3-spanid"))
            .matches("[0-9a-f]{16}");
        assertThat(received.getHeader("x-request-id")).isEqualTo(sent.get("x-request-id"));
        assertThat(received.getHeader("traceparent")).isEqualTo(sent.get("traceparent"));
      }
      assertThat(service.output()).doesNotContain("Exception", "[meshaware] ERROR");
    }
  }
}
