package dev.meshaware.agent.library.vertx;

import dev.meshaware.agent.testing.AbstractClientDiagnosticsIT;
import dev.meshaware.agent.testing.ChildJvm;
import java.util.List;

/**
 * Vert.x 5's HttpClient and WebClient: one line per failed call, from Vert.x's diagnostics alone
 * although each call is also a Netty channel's.
 */
class VertxClientDiagnosticsIT extends AbstractClientDiagnosticsIT {
  @Override
  protected ChildJvm child() {
    return ChildJvm.running(VertxCallingApp.class);
  }

  @Override
  protected List<String> clients() {
    return List.of("httpclient", "webclient");
  }
}
