package dev.meshaware.core.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A plain-HTTP endpoint of the sidecar (status port, quit URL). Only {@code http://} is accepted:
 * the sidecar's status and admin ports never speak TLS, and meshaware talks to them over raw
 * sockets so that its own calls never pass through the instrumentation it installs.
 *
 * <p>Parsing never touches DNS: an IP address is read as one ({@link #literalAddress()}), a host
 * name only checked for its form, and resolved later within the caller's deadline.
 */
public final class HttpEndpoint {
  /** The accepted form, quoted in messages about a bad URL. */
  public static final String ACCEPTED_FORM =
      "http://host:port/path (http only; host a name, an IPv4 address or [IPv6]; port 1 to 65535)";

  private static final int MAX_PORT = 65535;
  private static final int MAX_NAME = 253;
  private static final int MAX_LABEL = 63;
  private static final String LABEL_CHARS =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-";

  private final String text;
  private final String host;
  private final int port;
  private final String pathAndQuery;
  private final InetAddress literal;

  private HttpEndpoint(
      String text, String host, int port, String pathAndQuery, InetAddress literal) {
    this.text = text;
    this.host = host;
    this.port = port;
    this.pathAndQuery = pathAndQuery;
    this.literal = literal;
  }

  /** Parses one URL; {@link IllegalArgumentException} with the reason otherwise. */
  public static HttpEndpoint parse(String text) {
    String trimmed = text.trim();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("empty");
    }
    int separator = trimmed.indexOf("://");
    String scheme = separator < 0 ? "" : trimmed.substring(0, separator).toLowerCase(Locale.ROOT);
    if (separator < 0) {
      throw new IllegalArgumentException(
          "does not start with http://: write it as http://host:port/path");
    }
    if (!scheme.equals("http")) {
      throw new IllegalArgumentException(
          "scheme '"
              + scheme
              + "' is not supported: only http:// (the sidecar's ports speak plain HTTP)");
    }
    URI uri;
    try {
      uri = new URI(trimmed);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "not a URL (" + e.getReason() + " at index " + e.getIndex() + ")");
    }
    String authority = uri.getRawAuthority();
    if (uri.isOpaque() || authority == null || authority.isEmpty()) {
      throw new IllegalArgumentException("no host: write it as http://host:port/path");
    }
    if (authority.indexOf('@') >= 0) {
      throw new IllegalArgumentException("user information (user@) is not allowed");
    }
    if (uri.getRawFragment() != null) {
      throw new IllegalArgumentException("a fragment (#...) is not allowed");
    }
    HostAndPort where = HostAndPort.split(authority);
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    return new HttpEndpoint(trimmed, where.host, where.port, path + query, where.literal);
  }

  /** Parses a comma-separated, non-empty list of URLs. */
  public static List<HttpEndpoint> parseList(String text) {
    String[] parts = text.split(",", -1);
    List<HttpEndpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < parts.length; i++) {
      String which = parts.length == 1 ? "" : "entry " + (i + 1) + " of " + parts.length + ": ";
      if (parts[i].trim().isEmpty()) {
        throw new IllegalArgumentException(which + "empty");
      }
      try {
        endpoints.add(parse(parts[i]));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(which + e.getMessage());
      }
    }
    return Collections.unmodifiableList(endpoints);
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /**
   * The address when the host is an IP address, which needs no DNS; null for a host name, which
   * must be resolved.
   */
  public InetAddress literalAddress() {
    return literal;
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

  /**
   * The authority read by hand: {@link URI} silently turns a bad port or a host with an underscore
   * into a "registry-based" authority without a host, which would leave only a vague message.
   */
  private static final class HostAndPort {
    final String host;
    final int port;
    final InetAddress literal;

    private HostAndPort(String host, int port, InetAddress literal) {
      this.host = host;
      this.port = port;
      this.literal = literal;
    }

    static HostAndPort split(String authority) {
      String host;
      String rest;
      InetAddress literal;
      if (authority.startsWith("[")) {
        int close = authority.indexOf(']');
        if (close < 0) {
          throw new IllegalArgumentException("'[' without ']' around the IPv6 address");
        }
        host = authority.substring(1, close);
        rest = authority.substring(close + 1);
        literal = ipv6(host);
      } else {
        int colon = authority.indexOf(':');
        host = colon < 0 ? authority : authority.substring(0, colon);
        rest = colon < 0 ? "" : authority.substring(colon);
        literal = ipv4(host);
        if (literal == null) {
          checkName(host);
        }
      }
      return new HostAndPort(host, port(rest), literal);
    }

    private static int port(String rest) {
      if (rest.isEmpty()) {
        return 80;
      }
      String digits = rest.substring(1);
      if (rest.charAt(0) != ':' || digits.isEmpty() || !allDigits(digits)) {
        throw new IllegalArgumentException("port '" + rest + "' is not a number from 1 to 65535");
      }
      int port = digits.length() > 5 ? Integer.MAX_VALUE : Integer.parseInt(digits);
      if (port < 1 || port > MAX_PORT) {
        throw new IllegalArgumentException("port " + digits + " is out of range 1 to 65535");
      }
      return port;
    }

    /** The address when {@code host} is a dotted IPv4 address, else null. No DNS. */
    private static InetAddress ipv4(String host) {
      String[] parts = host.split("\\.", -1);
      if (parts.length != 4) {
        return null;
      }
      byte[] bytes = new byte[4];
      for (int i = 0; i < 4; i++) {
        String part = parts[i];
        if (part.isEmpty()
            || part.length() > 3
            || !allDigits(part)
            || Integer.parseInt(part) > 255) {
          return null;
        }
        bytes[i] = (byte) Integer.parseInt(part);
      }
      try {
        return InetAddress.getByAddress(host, bytes);
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e); // four bytes are always an address
      }
    }

    private static InetAddress ipv6(String host) {
      // Every IPv6 address has a ':'; without one an older JDK would take the text for a name.
      if (host.indexOf(':') < 0 || !only(host, "0123456789abcdefABCDEF:.")) {
        throw new IllegalArgumentException(
            "'[" + host + "]' is not an IPv6 address (hex digits and ':', e.g. [::1])");
      }
      try {
        // Bracketed, so the JDK reads it as a literal or fails; it never asks DNS.
        return InetAddress.getByName("[" + host + "]");
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(
            "'[" + host + "]' is not an IPv6 address (hex digits and ':', e.g. [::1])");
      }
    }

    /** A DNS name: labels of letters, digits and '-', joined by dots (a final dot allowed). */
    private static void checkName(String host) {
      String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
      String bad =
          "host '"
              + host
              + "' is neither an IPv4 address nor a host name (letters, digits, '-'"
              + " and '.')";
      if (name.isEmpty() || name.length() > MAX_NAME) {
        throw new IllegalArgumentException(host.isEmpty() ? "no host" : bad);
      }
      String[] labels = name.split("\\.", -1);
      for (String label : labels) {
        boolean ok =
            !label.isEmpty()
                && label.length() <= MAX_LABEL
                && label.charAt(0) != '-'
                && label.charAt(label.length() - 1) != '-'
                && only(label, LABEL_CHARS);
        if (!ok) {
          throw new IllegalArgumentException(bad);
        }
      }
      // An all-numeric last label is a mistyped address ("127.1", "256.0.0.1"), not a name.
      if (allDigits(labels[labels.length - 1])) {
        throw new IllegalArgumentException(
            "host '" + host + "' is not an IPv4 address (four numbers from 0 to 255)");
      }
    }

    // Plain loops, no streams: this runs in the agent's premain, where every class loaded counts.
    private static boolean allDigits(String text) {
      return only(text, "0123456789");
    }

    private static boolean only(String text, String allowed) {
      for (int i = 0; i < text.length(); i++) {
        if (allowed.indexOf(text.charAt(i)) < 0) {
          return false;
        }
      }
      return true;
    }
  }
}
