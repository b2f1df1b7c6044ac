package dev.meshaware.agent.library;

import dev.meshaware.agent.bind.KeepAliveInstrumentations;
import dev.meshaware.agent.instrument.Library;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.agent.propagation.JdkHttpServerInstrumentation;
import java.util.List;

/** The JDK's com.sun.net.httpserver server. */
public final class JdkHttpServerLibrary implements Library {
  @Override
  public String name() {
    return "jdk-httpserver";
  }

  @Override
  public String covers() {
    return "the JDK's com.sun.net.httpserver server";
  }

  @Override
  public List<TypeInstrumentation> inbound() {
    return List.of(new JdkHttpServerInstrumentation(), KeepAliveInstrumentations.jdkHttpServer());
  }
}
