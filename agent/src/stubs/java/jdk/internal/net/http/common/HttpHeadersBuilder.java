package jdk.internal.net.http.common;

import java.net.http.HttpHeaders;

/** Compile-time stand-in for the JDK's class of the same name; see {@code HttpRequestImpl}. */
public class HttpHeadersBuilder {
  public HttpHeaders build() {
    throw new UnsupportedOperationException("compile-time stub");
  }
}
