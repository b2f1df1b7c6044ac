package dev.meshaware.agent.library.vertx;

import dev.meshaware.agent.testing.AbstractServerIT;

/** A Vert.x server, its work in executeBlocking, keeps every server promise. */
class VertxServerIT extends AbstractServerIT {
  @Override
  protected String server() {
    return "vertx";
  }
}
