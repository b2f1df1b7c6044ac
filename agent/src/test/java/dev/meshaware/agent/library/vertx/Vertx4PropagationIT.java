package dev.meshaware.agent.library.vertx;

import dev.meshaware.agent.testing.ChildJvm;

/** {@link VertxPropagationIT} on Vert.x 4.5 with its Netty 4.1. */
class Vertx4PropagationIT extends VertxPropagationIT {
  @Override
  ChildJvm child() {
    return ChildJvm.running(VertxApp.class).withLibraryProfile("vertx4", "vertx-", "netty-");
  }

  @Override
  boolean hasCompletableListeners() {
    return false;
  }
}
