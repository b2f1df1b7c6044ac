package dev.meshaware.agent.library.vertx;

import dev.meshaware.agent.testing.AbstractClientIT;

/** Vert.x Web's WebClient keeps every client promise, from a pool and from an event loop. */
class VertxWebClientIT extends AbstractClientIT {
  @Override
  protected String client() {
    return "vertx-web";
  }
}
