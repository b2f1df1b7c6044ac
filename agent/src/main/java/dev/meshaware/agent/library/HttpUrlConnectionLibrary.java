package dev.meshaware.agent.library;

import dev.meshaware.agent.diagnostics.HttpUrlConnectionDiagnosticsInstrumentation;
import dev.meshaware.agent.instrument.Library;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.agent.propagation.HttpUrlConnectionInstrumentation;
import java.util.List;

/** The JDK's HttpURLConnection. */
public final class HttpUrlConnectionLibrary implements Library {
  @Override
  public String name() {
    return "http-url-connection";
  }

  @Override
  public String covers() {
    return "the JDK's HttpURLConnection";
  }

  @Override
  public List<TypeInstrumentation> outbound() {
    return List.of(new HttpUrlConnectionInstrumentation());
  }

  @Override
  public List<TypeInstrumentation> diagnostics() {
    return List.of(new HttpUrlConnectionDiagnosticsInstrumentation());
  }
}
