package org.eclipse.jetty.ee11.servlet;

import org.eclipse.jetty.http.HttpFields;

/**
 * Compile-time stand-in for Jetty 12.1's ee11 servlet request (a {@code ContextRequest}, whose
 * {@code getHeaders} it inherits): the members the advice uses.
 */
public class ServletContextRequest {
  public HttpFields getHeaders() {
    throw new UnsupportedOperationException("stub");
  }
}
