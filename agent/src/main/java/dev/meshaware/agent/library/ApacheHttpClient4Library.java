package dev.meshaware.agent.library;

import dev.meshaware.agent.diagnostics.ApacheHttpClient4DiagnosticsInstrumentation;
import dev.meshaware.agent.instrument.Library;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.agent.propagation.ApacheHttpClient4Instrumentation;
import java.util.List;

/** Apache HttpClient 4.5. */
public final class ApacheHttpClient4Library implements Library {
  @Override
  public String name() {
    return "apache-httpclient4";
  }

  @Override
  public String covers() {
    return "Apache HttpClient 4.5";
  }

  @Override
  public List<TypeInstrumentation> outbound() {
    return List.of(new ApacheHttpClient4Instrumentation());
  }

  @Override
  public List<TypeInstrumentation> diagnostics() {
    return List.of(new ApacheHttpClient4DiagnosticsInstrumentation());
  }
}
