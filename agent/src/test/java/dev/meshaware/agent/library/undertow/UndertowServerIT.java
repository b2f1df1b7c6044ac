package dev.meshaware.agent.library.undertow;

import dev.meshaware.agent.testing.AbstractServerIT;

/** An Undertow HttpHandler, its work dispatched to the worker pool, keeps every server promise. */
class UndertowServerIT extends AbstractServerIT {
  @Override
  protected String server() {
    return "undertow";
  }
}
