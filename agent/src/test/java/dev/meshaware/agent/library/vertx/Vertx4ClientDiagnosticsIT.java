package dev.meshaware.agent.library.vertx;

import dev.meshaware.agent.testing.ChildJvm;

/** {@link VertxClientDiagnosticsIT} on Vert.x 4.5 with its Netty 4.1. */
class Vertx4ClientDiagnosticsIT extends VertxClientDiagnosticsIT {
  @Override
  protected ChildJvm child() {
    return ChildJvm.running(VertxCallingApp.class).withLibraryProfile("vertx4", "vertx-", "netty-");
  }
}
