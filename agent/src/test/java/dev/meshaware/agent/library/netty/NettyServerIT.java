package dev.meshaware.agent.library.netty;

import dev.meshaware.agent.testing.AbstractServerIT;

/** A raw Netty server, its handler on an executor group, keeps every server promise. */
class NettyServerIT extends AbstractServerIT {
  @Override
  protected String server() {
    return "netty";
  }
}
