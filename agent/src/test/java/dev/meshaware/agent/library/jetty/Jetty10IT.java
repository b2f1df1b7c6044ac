package dev.meshaware.agent.library.jetty;

import dev.meshaware.agent.testing.ChildJvm;

/** {@link JettyOlderIT} on Jetty 10 ({@code javax.servlet}). */
class Jetty10IT extends JettyOlderIT {
  @Override
  ChildJvm jvm() {
    return ChildJvm.running(JettyOlderApp.class).withLibraryProfile("jetty10", "jetty-");
  }
}
