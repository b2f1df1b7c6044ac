package dev.meshaware.agent.library.netty;

/**
 * Reads a {@code Host} header ({@code name}, {@code name:port}, {@code [v6]}, {@code [v6]:port}),
 * the destination a Netty client's call names. An auxiliary type: defined in Netty's class loader.
 */
public final class HostHeader {
  private HostHeader() {}

  /** The host part; a bracketed IPv6 address keeps its brackets; null when there is none. */
  public static String host(String header) {
    String value = header.trim();
    if (value.startsWith("[")) {
      int close = value.indexOf(']');
      return close < 0 ? null : value.substring(0, close + 1);
    }
    int colon = value.indexOf(':');
    if (colon < 0) {
      return value.isEmpty() ? null : value;
    }
    // more than one colon without brackets: a bare IPv6 address, no port
    return value.indexOf(':', colon + 1) >= 0 ? value : value.substring(0, colon);
  }

  /** The port part, else {@code otherwise} (the connection's port). */
  public static int port(String header, int otherwise) {
    String value = header.trim();
    int from;
    if (value.startsWith("[")) {
      int close = value.indexOf(']');
      if (close < 0 || close + 1 >= value.length() || value.charAt(close + 1) != ':') {
        return otherwise;
      }
      from = close + 2;
    } else {
      int colon = value.indexOf(':');
      if (colon < 0 || value.indexOf(':', colon + 1) >= 0) {
        return otherwise;
      }
      from = colon + 1;
    }
    try {
      return Integer.parseInt(value.substring(from));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
