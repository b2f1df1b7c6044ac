package dev.meshaware.core.startup;

import dev.meshaware.core.config.Durations;
import dev.meshaware.core.diagnostics.ReportSection;
import dev.meshaware.core.diagnostics.StartupReport;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The startup report's section on the gate: its verdict, how long it held, the sidecar. */
public final class GateReportSection implements ReportSection {
  private final GateResult result;
  private final String notRunBecause;

  private GateReportSection(GateResult result, String notRunBecause) {
    this.result = result;
    this.notRunBecause = notRunBecause;
  }

  /** The section for a gate that ran and ended with {@code result}. */
  public static GateReportSection of(GateResult result) {
    return new GateReportSection(result, null);
  }

  /** The section when the gate did not run, e.g. "attached to a running JVM". */
  public static GateReportSection notRun(String because) {
    return new GateReportSection(null, because);
  }

  @Override
  public String title() {
    return "startup gate";
  }

  @Override
  public int order() {
    return StartupReport.ORDER_GATE;
  }

  @Override
  public Map<String, String> facts() {
    Map<String, String> facts = new LinkedHashMap<>();
    if (result == null) {
      facts.put("verdict", "not run: " + notRunBecause);
      return facts;
    }
    facts.put("verdict", result.verdict().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    facts.put("waited", Durations.seconds(result.waited()));
    facts.put("sidecar", sidecar(result.verdict()));
    facts.put("detail", result.message());
    return facts;
  }

  private static String sidecar(GateResult.Verdict verdict) {
    switch (verdict) {
      case READY:
        return "present and ready";
      case TIMED_OUT:
        return "not ready before the deadline (or not present: see detail)";
      case NO_SIDECAR:
        return "none";
      default:
        return "not checked";
    }
  }
}
