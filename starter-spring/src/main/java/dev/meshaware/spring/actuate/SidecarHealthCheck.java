package dev.meshaware.spring.actuate;

import dev.meshaware.core.config.MeshawareKeys;
import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.startup.GateResult;
import dev.meshaware.core.startup.MeshDetection;
import dev.meshaware.core.startup.SidecarEnvironment;
import dev.meshaware.core.startup.SidecarStatus;
import dev.meshaware.core.startup.StartupMode;
import dev.meshaware.spring.startup.StartupRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Is the sidecar ready now? Probes its readiness URLs once per health request, as the startup gate
 * does. Where no sidecar can exist (outside Kubernetes in auto mode) or the gate found none, it
 * probes nothing and says UNKNOWN, which never turns the application's health down.
 */
final class SidecarHealthCheck {
  private final ObjectProvider<MeshawareSettings> settings;
  private final ObjectProvider<StartupRecord> startup;

  SidecarHealthCheck(
      ObjectProvider<MeshawareSettings> settings, ObjectProvider<StartupRecord> startup) {
    this.settings = settings;
    this.startup = startup;
  }

  /** A health status code ({@code UP}, {@code DOWN}, {@code UNKNOWN}) and its details. */
  record Outcome(String status, Map<String, Object> details) {}

  Outcome check() {
    MeshawareSettings settings = this.settings.getObject();
    if (settings.get(MeshawareKeys.STARTUP_MODE) == StartupMode.AUTO
        && !SidecarEnvironment.inKubernetes(settings)) {
      return new Outcome("UNKNOWN", Map.of("reason", "not in Kubernetes: no sidecar can exist"));
    }
    StartupRecord record = startup.getIfAvailable();
    GateResult gate = record == null ? null : record.gate();
    if (gate != null && gate.verdict() == GateResult.Verdict.NO_SIDECAR) {
      return new Outcome("UNKNOWN", Map.of("reason", gate.message()));
    }
    MeshDetection mesh = StartupRecord.mesh(settings, record);
    if (!mesh.mode().proxyInPod()) {
      return new Outcome(
          "UNKNOWN",
          Map.of(
              "reason",
              "no proxy in the pod: " + mesh.mode().title() + " (" + mesh.evidence() + ")"));
    }
    SidecarStatus status = SidecarStatus.check(SidecarEnvironment.readyUrls(settings, mesh));
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("readiness", status.outcomes());
    return new Outcome(status.ready() ? "UP" : "DOWN", details);
  }
}
