package dev.meshaware.agent.library.netty;

import dev.meshaware.agent.testing.AbstractClientIT;

/** AsyncHttpClient keeps every client promise, from a pool and from an event loop. */
class AsyncHttpClientIT extends AbstractClientIT {
  @Override
  protected String client() {
    return "ahc";
  }
}
