package org.eclipse.jetty.ee11.servlet;

/** Compile-time stand-in for Jetty 12.1's ee11 servlet channel: the members the advice uses. */
public class ServletChannel {
  public ServletContextRequest getServletContextRequest() {
    throw new UnsupportedOperationException("stub");
  }
}
