package dev.meshaware.agent;

import dev.meshaware.agent.instrument.ActiveInstrumentations;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.diagnostics.ReportSection;
import dev.meshaware.core.diagnostics.StartupReport;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The startup report's section on instrumentation: per kind (inbound, outbound, thread hops,
 * diagnostics), the instrumentations that have changed a class so far. The others wait for their
 * library: instrumentation happens when the application first loads a target class.
 */
final class InstrumentationReportSection implements ReportSection {
  private final Map<String, List<TypeInstrumentation>> byKind;
  private final Map<String, String> switchedOff;

  InstrumentationReportSection(
      Map<String, List<TypeInstrumentation>> byKind, Map<String, String> switchedOff) {
    this.byKind = byKind;
    this.switchedOff = switchedOff;
  }

  @Override
  public String title() {
    return "instrumentation";
  }

  @Override
  public int order() {
    return StartupReport.ORDER_INSTRUMENTATION;
  }

  @Override
  public Map<String, String> facts() {
    Map<String, String> facts = new LinkedHashMap<>();
    for (Map.Entry<String, List<TypeInstrumentation>> kind : byKind.entrySet()) {
      Set<String> active = new LinkedHashSet<>();
      Set<String> waiting = new LinkedHashSet<>();
      for (TypeInstrumentation instrumentation : kind.getValue()) {
        String name = instrumentation.name();
        (ActiveInstrumentations.isActive(name) ? active : waiting).add(name);
      }
      waiting.removeAll(active);
      String shown = active.isEmpty() ? "none active" : String.join(", ", active);
      if (!waiting.isEmpty()) {
        shown += " (" + waiting.size() + " more wait for their library to load)";
      }
      facts.put(kind.getKey(), shown);
    }
    facts.putAll(switchedOff);
    return facts;
  }
}
