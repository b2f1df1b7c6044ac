package dev.meshaware.agent.library.netty;

import dev.meshaware.agent.testing.ChildJvm;

/** {@link NettyLibraryIT} on Netty 4.1 with AsyncHttpClient 2.12. */
class NettyLibrary41IT extends NettyLibraryIT {
  @Override
  ChildJvm child() {
    return ChildJvm.running(NettyApp.class)
        .withLibraryProfile(
            "netty41", "netty-", "async-http-client", "reactive-streams", "reactor-");
  }
}
