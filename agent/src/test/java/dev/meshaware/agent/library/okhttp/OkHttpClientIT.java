package dev.meshaware.agent.library.okhttp;

import dev.meshaware.agent.testing.AbstractClientIT;

/** OkHttp's asynchronous calls keep every client promise, from a pool and from an event loop. */
class OkHttpClientIT extends AbstractClientIT {
  @Override
  protected String client() {
    return "okhttp-async";
  }
}
