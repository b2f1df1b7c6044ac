package dev.meshaware.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.testing.FakeSidecar;
import dev.meshaware.spring.startup.StartupRecords;
import dev.meshaware.spring.testing.Inbound;
import dev.meshaware.spring.testing.MvcApp;
import dev.meshaware.spring.testing.RunningApp;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.json.JsonParserFactory;

/**
 * {@code /actuator/meshaware} reports the gate's verdict, the header policy, the listeners, the
 * shutdown delay and the diagnostics; the {@code sidecar} health contributor follows the sidecar's
 * readiness and stays out of the probe groups.
 */
class ActuatorTest {
  private static FakeSidecar sidecar;
  private static RunningApp app;

  @BeforeAll
  static void start() {
    StartupRecords.forget();
    sidecar = new FakeSidecar();
    sidecar.answer(200);
    app =
        RunningApp.start(
            WebApplicationType.SERVLET,
            MvcApp.class,
            false,
            "app.downstream=http://127.0.0.1:" + FakeSidecar.closedPort(),
            "meshaware.startup.mode=always",
            "meshaware.startup.ready-url=" + sidecar.readyUrl(),
            "meshaware.propagation.extra-headers=" + Inbound.EXTRA,
            "meshaware.propagation.exclude-hosts=*.googleapis.com",
            "meshaware.shutdown.delay=100ms",
            "management.endpoints.web.exposure.include=health,meshaware",
            "management.endpoint.health.show-details=always",
            "management.endpoint.health.probes.enabled=true");
  }

  @AfterAll
  static void stop() {
    app.close();
    sidecar.close();
    StartupRecords.forget();
  }

  @Test
  @SuppressWarnings("unchecked")
  void endpointReportsGateVerdictAndHeaderPolicy() throws Exception {
    HttpResponse<String> response = app.get("/actuator/meshaware", Map.of());
    assertThat(response.statusCode()).isEqualTo(200);
    Map<String, Object> report = JsonParserFactory.getJsonParser().parseMap(response.body());

    Map<String, Object> mesh = (Map<String, Object>) report.get("mesh");
    assertThat(mesh).containsEntry("mode", "possible-sidecar");
    assertThat((String) mesh.get("evidence")).contains("meshaware.startup.mode=always");
    Map<String, Object> startup = (Map<String, Object>) report.get("startup");
    assertThat(startup)
        .containsEntry("ranBy", "starter")
        .containsEntry("verdict", "READY")
        .containsKeys("waitedMillis", "waited");
    assertThat((String) startup.get("message")).startsWith("sidecar ready after");

    Map<String, Object> propagation = (Map<String, Object>) report.get("propagation");
    assertThat(propagation)
        .containsEntry("forwardedBy", "starter")
        .containsEntry("excludeHosts", "*.googleapis.com")
        .containsEntry("periodic", "none");
    assertThat((List<Object>) propagation.get("headers"))
        .contains("x-request-id", "x-b3-traceid", "traceparent", Inbound.EXTRA);
    Map<String, Object> listeners = (Map<String, Object>) report.get("listeners");
    assertThat(listeners).containsEntry("checkedBy", "starter");
    assertThat((Map<String, Object>) listeners.get("listeners"))
        .containsEntry("127.0.0.1:" + app.port(), "ok");

    Map<String, Object> shutdown = (Map<String, Object>) report.get("shutdown");
    assertThat(shutdown).containsEntry("heldBy", "starter").containsEntry("delayMillis", 100);

    Map<String, Object> diagnostics = (Map<String, Object>) report.get("diagnostics");
    assertThat(diagnostics)
        .containsEntry("installedBy", "starter")
        .containsKeys("facts", "failures");
    assertThat(List.copyOf(report.keySet()))
        .containsExactly("mesh", "startup", "propagation", "listeners", "shutdown", "diagnostics");
  }

  @Test
  @SuppressWarnings("unchecked")
  void sidecarHealthFollowsTheSidecarOutsideTheProbeGroups() throws Exception {
    sidecar.answer(200);
    HttpResponse<String> up = app.get("/actuator/health/sidecar", Map.of());
    assertThat(up.statusCode()).isEqualTo(200);
    Map<String, Object> health = JsonParserFactory.getJsonParser().parseMap(up.body());
    assertThat(health).containsEntry("status", "UP");
    assertThat((Map<String, Object>) ((Map<String, Object>) health.get("details")).get("readiness"))
        .containsEntry(sidecar.readyUrl(), "HTTP 200");

    sidecar.answer(503);
    try {
      HttpResponse<String> down = app.get("/actuator/health/sidecar", Map.of());
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.body()).contains("\"DOWN\"", "HTTP 503");

      for (String probe : List.of("liveness", "readiness")) {
        HttpResponse<String> group = app.get("/actuator/health/" + probe, Map.of());
        assertThat(group.statusCode()).as(probe).isEqualTo(200);
        assertThat(group.body()).as(probe).doesNotContain("sidecar");
      }
    } finally {
      sidecar.answer(200);
    }
  }

  @Test
  void endpointIsNotExposedByDefault() throws Exception {
    try (RunningApp plain =
        RunningApp.start(WebApplicationType.SERVLET, MvcApp.class, false, "app.downstream=x")) {
      assertThat(plain.get("/actuator/meshaware", Map.of()).statusCode()).isEqualTo(404);
      assertThat(plain.get("/actuator/health", Map.of()).statusCode()).isEqualTo(200);
    }
  }
}
