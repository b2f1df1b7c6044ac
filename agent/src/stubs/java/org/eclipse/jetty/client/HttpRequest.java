package org.eclipse.jetty.client;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;

/**
 * Compile-time stand-in for Jetty 10 and 11's class of the same name, which Jetty 12 (the version the
 * agent compiles against) no longer has. It declares only what meshaware's advice calls; it is never
 * packaged, and at run time the application's Jetty is the one used. The instrumentations' shape
 * checks switch the advice off on a Jetty without these methods.
 */
public class HttpRequest implements org.eclipse.jetty.client.api.Request {
  public HttpConversation getConversation() {
    throw new UnsupportedOperationException("compile-time stub");
  }

  public String getHost() {
    throw new UnsupportedOperationException("compile-time stub");
  }

  public int getPort() {
    throw new UnsupportedOperationException("compile-time stub");
  }

  @Override
  public String getMethod() {
    throw new UnsupportedOperationException("compile-time stub");
  }

  @Override
  public java.net.URI getURI() {
    throw new UnsupportedOperationException("compile-time stub");
  }

  @Override
  public HttpFields getHeaders() {
    throw new UnsupportedOperationException("compile-time stub");
  }

  public HttpRequest addHeader(HttpField header) {
    throw new UnsupportedOperationException("compile-time stub");
  }

  public org.eclipse.jetty.client.api.Request header(String name, String value) {
    throw new UnsupportedOperationException("compile-time stub");
  }
}
