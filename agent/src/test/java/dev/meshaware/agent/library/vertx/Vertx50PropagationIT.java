package dev.meshaware.agent.library.vertx;

import dev.meshaware.agent.testing.ChildJvm;

/** {@link VertxPropagationIT} on Vert.x 5.0, with the test class path's Netty 4.2. */
class Vertx50PropagationIT extends VertxPropagationIT {
  @Override
  ChildJvm child() {
    return ChildJvm.running(VertxApp.class).withLibraryProfile("vertx50", "vertx-");
  }
}
