package dev.meshaware.agent.library;

import dev.meshaware.agent.diagnostics.JdkHttpClientDiagnosticsInstrumentation;
import dev.meshaware.agent.diagnostics.JdkHttpClientFailureDiagnosticsInstrumentation;
import dev.meshaware.agent.instrument.Library;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.agent.propagation.JdkHttpClientInstrumentation;
import java.util.List;

/** The JDK's java.net.http.HttpClient. */
public final class JdkHttpClientLibrary implements Library {
  @Override
  public String name() {
    return "jdk-httpclient";
  }

  @Override
  public String covers() {
    return "the JDK's java.net.http.HttpClient";
  }

  @Override
  public List<TypeInstrumentation> outbound() {
    return List.of(new JdkHttpClientInstrumentation());
  }

  @Override
  public List<TypeInstrumentation> diagnostics() {
    return List.of(
        new JdkHttpClientDiagnosticsInstrumentation(),
        new JdkHttpClientFailureDiagnosticsInstrumentation());
  }
}
