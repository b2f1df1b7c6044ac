package jdk.internal.net.http;

import java.net.http.HttpRequest;
import jdk.internal.net.http.common.HttpHeadersBuilder;

/**
 * Compile-time stand-in for the JDK's class of the same name (java.net.http, not exported), so that
 * advice inlined into classes of that package can call it directly. It declares only what the
 * advice calls (some of it package-private in the JDK, which the inlined advice may call from the
 * same package); it is never packaged, and at run time the JDK's own class is the one used.
 */
public abstract class HttpRequestImpl extends HttpRequest {
  public abstract void setSystemHeader(String name, String value);

  public abstract HttpHeadersBuilder getSystemHeadersBuilder();

  public abstract boolean isWebSocket();
}
