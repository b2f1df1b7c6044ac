package dev.meshaware.core.startup;

import dev.meshaware.core.diagnostics.ReportSection;
import dev.meshaware.core.diagnostics.StartupReport;
import java.util.LinkedHashMap;
import java.util.Map;

/** The startup report's section on the mesh: which mode the pod is in, and what showed it. */
public final class MeshReportSection implements ReportSection {
  private final MeshDetection mesh;

  public MeshReportSection(MeshDetection mesh) {
    this.mesh = mesh;
  }

  @Override
  public String title() {
    return "mesh";
  }

  @Override
  public int order() {
    return StartupReport.ORDER_MESH;
  }

  @Override
  public Map<String, String> facts() {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("mode", mesh.mode().id() + " (" + mesh.mode().title() + ")");
    facts.put("evidence", mesh.evidence());
    return facts;
  }
}
