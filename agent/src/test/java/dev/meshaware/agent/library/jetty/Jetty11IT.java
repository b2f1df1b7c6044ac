package dev.meshaware.agent.library.jetty;

import dev.meshaware.agent.testing.ChildJvm;

/** {@link JettyOlderIT} on Jetty 11 ({@code jakarta.servlet} 5). */
class Jetty11IT extends JettyOlderIT {
  @Override
  ChildJvm jvm() {
    return ChildJvm.running(JettyOlderApp.class)
        .withLibraryProfile("jetty11", "jetty-", "jakarta.servlet-api");
  }
}
