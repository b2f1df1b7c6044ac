package dev.meshaware.agent.library.jetty;

import dev.meshaware.agent.testing.AbstractClientIT;

/** Jetty's asynchronous client keeps every client promise, from a pool and from an event loop. */
class JettyClientIT extends AbstractClientIT {
  @Override
  protected String client() {
    return "jetty-client-async";
  }
}
