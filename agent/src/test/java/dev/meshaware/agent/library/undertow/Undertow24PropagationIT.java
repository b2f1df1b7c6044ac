package dev.meshaware.agent.library.undertow;

import dev.meshaware.agent.testing.ChildJvm;

/** The same, on Undertow 2.4 (with the jboss-threads it is released with). */
class Undertow24PropagationIT extends UndertowPropagationIT {

  @Override
  ChildJvm app() {
    return super.app()
        .withLibraryProfile("undertow24", "undertow-core-", "jboss-threads-", "jboss-logging-");
  }

  @Override
  String version() {
    return "2.4.";
  }
}
