package dev.meshaware.agent.library.netty;

import dev.meshaware.agent.testing.AbstractClientDiagnosticsIT;
import dev.meshaware.agent.testing.ChildJvm;
import java.util.List;

/** A raw Netty client and AsyncHttpClient 3.0 on Netty 4.2: one line per failed call. */
class NettyClientDiagnosticsIT extends AbstractClientDiagnosticsIT {
  @Override
  protected ChildJvm child() {
    return ChildJvm.running(NettyCallingApp.class);
  }

  @Override
  protected List<String> clients() {
    return List.of("netty", "ahc");
  }
}
