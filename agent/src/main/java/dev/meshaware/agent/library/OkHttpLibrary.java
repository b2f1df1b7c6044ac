package dev.meshaware.agent.library;

import dev.meshaware.agent.diagnostics.OkHttpBodyPrefixInstrumentation;
import dev.meshaware.agent.diagnostics.OkHttpDiagnosticsInstrumentation;
import dev.meshaware.agent.instrument.Library;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.agent.propagation.OkHttpInstrumentation;
import java.util.List;

/** OkHttp 3.14, 4 and 5. */
public final class OkHttpLibrary implements Library {
  @Override
  public String name() {
    return "okhttp";
  }

  @Override
  public String covers() {
    return "OkHttp 3.14, 4 and 5";
  }

  @Override
  public List<TypeInstrumentation> outbound() {
    return OkHttpInstrumentation.both();
  }

  @Override
  public List<TypeInstrumentation> diagnostics() {
    return List.of(new OkHttpDiagnosticsInstrumentation(), new OkHttpBodyPrefixInstrumentation());
  }
}
