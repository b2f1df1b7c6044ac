package dev.meshaware.agent.library.vertx;

import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.Propagation;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

/**
 * The headers a Vert.x client request goes out with. Defined in the application's Vert.x class
 * loader (it uses Vert.x's types), so it may use only Vert.x, core and the JDK.
 */
public final class VertxOwedHeaders {
  private VertxOwedHeaders() {}

  /**
   * {@code headers} (the application's, may be null) when nothing is owed to {@code authority}
   * ({@code host}, {@code host:port}, {@code [v6]:port}); else a copy with each carried header the
   * application did not set. The application's map is never changed.
   */
  public static MultiMap added(
      MultiMap headers, CapturedHeaders carried, String authority, String absoluteUri) {
    if (authority == null) {
      return headers;
    }
    String host = authority;
    int port = -1;
    int colon = authority.lastIndexOf(':');
    if (colon > authority.lastIndexOf(']')) {
      host = authority.substring(0, colon);
      try {
        port = Integer.parseInt(authority.substring(colon + 1));
      } catch (NumberFormatException e) {
        return headers; // an authority meshaware cannot read gets nothing
      }
    }
    return added(headers, carried, host, port, absoluteUri);
  }

  /**
   * As {@link #added(MultiMap, CapturedHeaders, String, String)} for an authority already split
   * (5.1's {@code HostAndPort}): {@code port} below 0 is the default port of {@code absoluteUri}'s
   * scheme.
   */
  public static MultiMap added(
      MultiMap headers, CapturedHeaders carried, String host, int port, String absoluteUri) {
    if (host == null) {
      return headers; // no destination to check: nothing is owed
    }
    if (port < 0 && absoluteUri != null) {
      port = absoluteUri.startsWith("https:") ? 443 : absoluteUri.startsWith("http:") ? 80 : -1;
    }
    CapturedHeaders owed = Propagation.forDestination(carried, host, port);
    if (owed == null) {
      return headers;
    }
    MultiMap copy = null;
    for (int i = 0; i < owed.size(); i++) {
      if (headers != null && headers.contains(owed.name(i))) {
        continue;
      }
      if (copy == null) {
        copy = HttpHeaders.headers();
        if (headers != null) {
          copy.addAll(headers);
        }
      }
      copy.add(owed.name(i), owed.value(i));
    }
    return copy == null ? headers : copy;
  }
}
