package dev.meshaware.agent.library;

import dev.meshaware.agent.bind.KeepAliveInstrumentations;
import dev.meshaware.agent.instrument.Library;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.agent.propagation.TomcatInstrumentation;
import java.util.List;

/** Apache Tomcat 10 and 11 (embedded or standalone). */
public final class TomcatLibrary implements Library {
  @Override
  public String name() {
    return "tomcat";
  }

  @Override
  public String covers() {
    return "Apache Tomcat 10 and 11 (embedded or standalone)";
  }

  @Override
  public List<TypeInstrumentation> inbound() {
    return List.of(new TomcatInstrumentation(), KeepAliveInstrumentations.tomcat());
  }
}
