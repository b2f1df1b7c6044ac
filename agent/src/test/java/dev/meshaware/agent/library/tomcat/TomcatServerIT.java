package dev.meshaware.agent.library.tomcat;

import dev.meshaware.agent.testing.AbstractServerIT;

/** Tomcat keeps every server promise with every registered client. */
class TomcatServerIT extends AbstractServerIT {
  @Override
  protected String server() {
    return "tomcat";
  }
}
