package dev.meshaware.agent.library;

import dev.meshaware.agent.instrument.Library;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.agent.propagation.ServletInstrumentation;
import java.util.List;

/** Jakarta and javax servlets (any container). */
public final class ServletLibrary implements Library {
  @Override
  public String name() {
    return "servlet";
  }

  @Override
  public String covers() {
    return "Jakarta and javax servlets (any container)";
  }

  @Override
  public List<TypeInstrumentation> inbound() {
    return ServletInstrumentation.both();
  }
}
