package dev.meshaware.core.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A plain-HTTP endpoint of the sidecar (status port, quit URL). Only {@code http://} is accepted:
 * the sidecar's status and admin ports never speak TLS, and meshaware talks to them over raw
 * sockets so that its own calls never pass through the instrumentation it installs.
 */
public final class HttpEndpoint {
  /** The accepted form, quoted in messages about a bad URL. */
  public static final String ACCEPTED_FORM = "http://host:port/path";

  private final String text;
  private final String host;
  private final int port;
  private final String pathAndQuery;

  private HttpEndpoint(String text, String host, int port, String pathAndQuery) {
    this.text = text;
    this.host = host;
    this.port = port;
    this.pathAndQuery = pathAndQuery;
  }

  /** Parses one URL; {@link IllegalArgumentException} with the reason otherwise. */
  public static HttpEndpoint parse(String text) {
    String trimmed = text.trim();
    URI uri;
    try {
      uri = new URI(trimmed);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http")) {
      throw new IllegalArgumentException("only http:// is supported");
    }
    if (uri.getHost() == null || uri.getUserInfo() != null || uri.getFragment() != null) {
      throw new IllegalArgumentException("needs a host and nothing but host, port and path");
    }
    int port = uri.getPort() == -1 ? 80 : uri.getPort();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new HttpEndpoint(trimmed, host, port, path + query);
  }

  /** Parses a comma-separated, non-empty list of URLs. */
  public static List<HttpEndpoint> parseList(String text) {
    List<HttpEndpoint> endpoints = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      if (part.trim().isEmpty()) {
        throw new IllegalArgumentException("empty entry in the list");
      }
      endpoints.add(parse(part));
    }
    return Collections.unmodifiableList(endpoints);
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** The request target: path plus query, never empty. */
  public String pathAndQuery() {
    return pathAndQuery;
  }

  /** The value of a {@code Host} header for this endpoint. */
  public String hostHeader() {
    String shown = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return port == 80 ? shown : shown + ":" + port;
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof HttpEndpoint)) {
      return false;
    }
    HttpEndpoint that = (HttpEndpoint) other;
    return host.equals(that.host) && port == that.port && pathAndQuery.equals(that.pathAndQuery);
  }

  @Override
  public int hashCode() {
    return (host.hashCode() * 31 + port) * 31 + pathAndQuery.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
