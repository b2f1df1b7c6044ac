package dev.meshaware.agent.diagnostics;

import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.agent.library.Libraries;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Every instrumentation that observes outbound calls to explain mesh failures. */
public final class DiagnosticsInstrumentations {
  private DiagnosticsInstrumentations() {}

  public static List<TypeInstrumentation> all() {
    List<TypeInstrumentation> all = new ArrayList<>();
    all.add(new HttpUrlConnectionDiagnosticsInstrumentation());
    all.add(new JdkHttpClientDiagnosticsInstrumentation());
    all.add(new JdkHttpClientFailureDiagnosticsInstrumentation());
    all.add(new OkHttpDiagnosticsInstrumentation());
    all.add(new OkHttpBodyPrefixInstrumentation());
    all.add(new ApacheHttpClient5DiagnosticsInstrumentation());
    all.add(new ApacheHttpClient5AsyncDiagnosticsInstrumentation());
    all.add(new ApacheHttpClient4DiagnosticsInstrumentation());
    all.add(new ReactorNettyClientDiagnosticsInstrumentation());
    all.add(new ReactorNettyClientFailureDiagnosticsInstrumentation());
    Libraries.all().forEach(l -> all.addAll(l.diagnostics()));
    return Collections.unmodifiableList(all);
  }
}
