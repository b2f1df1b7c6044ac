package dev.meshaware.agent.library;

import dev.meshaware.agent.diagnostics.ApacheHttpClient5AsyncDiagnosticsInstrumentation;
import dev.meshaware.agent.diagnostics.ApacheHttpClient5DiagnosticsInstrumentation;
import dev.meshaware.agent.instrument.Library;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.agent.propagation.ApacheHttpClient5Instrumentation;
import java.util.List;

/** Apache HttpClient 5 (classic and async). */
public final class ApacheHttpClient5Library implements Library {
  @Override
  public String name() {
    return "apache-httpclient5";
  }

  @Override
  public String covers() {
    return "Apache HttpClient 5 (classic and async)";
  }

  @Override
  public List<TypeInstrumentation> outbound() {
    return ApacheHttpClient5Instrumentation.both();
  }

  @Override
  public List<TypeInstrumentation> diagnostics() {
    return List.of(
        new ApacheHttpClient5DiagnosticsInstrumentation(),
        new ApacheHttpClient5AsyncDiagnosticsInstrumentation());
  }
}
