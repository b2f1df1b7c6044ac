package dev.meshaware.spring.actuate;

import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.startup.MeshDetection;
import dev.meshaware.spring.startup.StartupRecord;
import org.springframework.beans.factory.ObjectProvider;

/** The mesh mode the pod is in, and what showed it: the one the gate and every feature follow. */
final class MeshSection implements EndpointSection {
  private final MeshawareSettings settings;
  private final ObjectProvider<StartupRecord> record;

  MeshSection(MeshawareSettings settings, ObjectProvider<StartupRecord> record) {
    this.settings = settings;
    this.record = record;
  }

  /** {@code mode} for tools ({@code istio-native-sidecar}), {@code title} for people. */
  record Report(String mode, String title, String evidence) {}

  @Override
  public String name() {
    return "mesh";
  }

  @Override
  public Report report() {
    MeshDetection mesh = StartupRecord.mesh(settings, record.getIfAvailable());
    return new Report(mesh.mode().id(), mesh.mode().title(), mesh.evidence());
  }
}
