package dev.meshaware.spring.diagnostics;

import dev.meshaware.core.diagnostics.DiagnosticsReportSection;
import dev.meshaware.core.diagnostics.FailureCount;
import dev.meshaware.core.diagnostics.MeshDiagnostics;
import dev.meshaware.spring.actuate.EndpointSection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The endpoint's {@code diagnostics}: who observes the clients, the state as core words it, and the
 * mesh failures so far per cause and destination host.
 */
final class DiagnosticsSection implements EndpointSection {

  /** One count: {@code UH} failures to {@code reviews}. */
  record Count(String cause, String host, long count) {}

  /** {@code installedBy}: {@code starter}, {@code agent}, or null when diagnostics are off. */
  record Report(String installedBy, Map<String, String> facts, List<Count> failures) {}

  @Override
  public String name() {
    return "diagnostics";
  }

  @Override
  public Report report() {
    List<Count> failures = new ArrayList<>();
    for (FailureCount count : MeshDiagnostics.counters().snapshot()) {
      failures.add(new Count(count.cause().code(), count.host(), count.count()));
    }
    return new Report(
        MeshDiagnostics.installedBy(), new DiagnosticsReportSection().facts(), failures);
  }
}
