package dev.meshaware.core.diagnostics;

import dev.meshaware.core.config.Durations;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** The report's section on mesh failure diagnostics: on or off, and the failures seen so far. */
public final class DiagnosticsReportSection implements ReportSection {

  @Override
  public String title() {
    return "mesh failure diagnostics";
  }

  @Override
  public int order() {
    return StartupReport.ORDER_DIAGNOSTICS;
  }

  @Override
  public Map<String, String> facts() {
    Map<String, String> facts = new LinkedHashMap<>();
    Duration interval = MeshDiagnostics.repeatInterval();
    if (interval == null) {
      facts.put("state", "off (meshaware.diagnostics.enabled=false)");
      return facts;
    }
    facts.put(
        "state",
        "on: one WARNING line per destination host and cause every "
            + Durations.text(interval)
            + " at most");
    facts.put("failures so far", failuresByCause(MeshDiagnostics.counters()));
    return facts;
  }

  private static String failuresByCause(MeshFailureCounters counters) {
    Map<MeshCause, Long> byCause = new EnumMap<>(MeshCause.class);
    for (FailureCount count : counters.snapshot()) {
      byCause.merge(count.cause(), count.count(), Long::sum);
    }
    if (byCause.isEmpty()) {
      return "none";
    }
    StringBuilder text = new StringBuilder();
    for (Map.Entry<MeshCause, Long> entry : byCause.entrySet()) {
      text.append(text.length() == 0 ? "" : ", ")
          .append(entry.getKey().code())
          .append(' ')
          .append(entry.getValue());
    }
    return text.toString();
  }
}
