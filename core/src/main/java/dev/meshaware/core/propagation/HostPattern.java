package dev.meshaware.core.propagation;

/**
 * One entry of {@link HostGlobs}: a host, a {@code *.suffix} or {@code *}, with an optional port.
 * {@link #problem} says why an entry could never match a destination, in words that name the entry
 * and show the form that works.
 */
final class HostPattern {
  static final int HOST = 0;
  static final int SUFFIX = 1;
  static final int ALL = 2;

  final int kind;
  private final String host; // canonical; for SUFFIX the suffix with its leading dot
  private final int port; // 0: any port

  private HostPattern(int kind, String host, int port) {
    this.kind = kind;
    this.host = host;
    this.port = port;
  }

  /** A usable entry ({@link #problem} returned null for it). */
  static HostPattern parse(String entry) {
    int split = portSeparator(entry);
    String hostPart = split < 0 ? entry : entry.substring(0, split);
    int port = split < 0 ? 0 : Integer.parseInt(entry.substring(split + 1));
    if (hostPart.equals("*")) {
      return new HostPattern(ALL, "", port);
    }
    if (hostPart.startsWith("*.")) {
      return new HostPattern(SUFFIX, "." + HostNames.normalize(hostPart.substring(2)), port);
    }
    return new HostPattern(HOST, HostNames.normalize(hostPart), port);
  }

  /** Null when {@code entry} (trimmed) is usable, else why it can never match. */
  static String problem(String entry) {
    if (entry.isEmpty()) {
      return "an empty entry (two commas in a row, or one at an end) names no host";
    }
    String quoted = "'" + printable(entry) + "'";
    if (entry.contains("/") || entry.contains("@") || entry.contains("?") || entry.contains("#")) {
      return quoted + " is a URL, not a host: write the host alone, e.g. api.example.com";
    }
    int split = portSeparator(entry);
    if (split == -2) {
      return quoted + " is not an IPv6 address in brackets: write [::1] or [::1]:8080";
    }
    String hostPart = split < 0 ? entry : entry.substring(0, split);
    if (split >= 0 && !isPort(entry.substring(split + 1))) {
      return quoted + " has no port from 1 to 65535 after its ':'";
    }
    if (hostPart.equals("*")) {
      return null;
    }
    String name = hostPart.startsWith("*.") ? hostPart.substring(2) : hostPart;
    if (name.indexOf('*') >= 0) {
      return quoted
          + " has a '*' that never matches: '*' may stand alone or start a *.suffix pattern";
    }
    if (hostPart.startsWith(".")) {
      return quoted + " starts with a dot: write *" + hostPart + " to match its subdomains";
    }
    if (name.indexOf('_') >= 0) {
      return quoted
          + " has a '_', which no host name has (such hosts are excluded anyway while the"
          + " list is set)";
    }
    String normalized = HostNames.normalize(name);
    if (normalized == null) {
      return quoted + " is not a host name or IP address";
    }
    if (hostPart.startsWith("*.") && (normalized.indexOf(':') >= 0 || isAddress(normalized))) {
      return quoted + " puts '*.' before an IP address, which has no subdomains";
    }
    return null;
  }

  boolean matches(String name, int calledPort) {
    if (port != 0 && calledPort >= 0 && calledPort != port) {
      return false;
    }
    switch (kind) {
      case ALL:
        return true;
      case SUFFIX:
        return name.length() > host.length() && name.endsWith(host);
      default:
        return name.equals(host);
    }
  }

  /**
   * Index of the ':' before a port, -1 when there is none, -2 for an unclosed or misplaced IPv6
   * bracket. Unbracketed text with several colons is an IPv6 address without a port.
   */
  private static int portSeparator(String entry) {
    if (entry.startsWith("[")) {
      int close = entry.indexOf(']');
      if (close < 0) {
        return -2;
      }
      if (close == entry.length() - 1) {
        return -1;
      }
      return entry.charAt(close + 1) == ':' ? close + 1 : -2;
    }
    if (entry.indexOf(']') >= 0) {
      return -2;
    }
    int colon = entry.indexOf(':');
    return colon >= 0 && colon == entry.lastIndexOf(':') ? colon : -1;
  }

  private static boolean isPort(String text) {
    if (text.isEmpty() || text.length() > 5) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    int port = Integer.parseInt(text);
    return port >= 1 && port <= 65535;
  }

  private static boolean isAddress(String normalized) {
    return HostNames.isDottedQuad(normalized, normalized.length());
  }

  /** Control characters escaped, length capped: the entry goes into a log line. */
  private static String printable(String text) {
    StringBuilder shown = new StringBuilder();
    for (int i = 0; i < text.length() && i < 100; i++) {
      char c = text.charAt(i);
      shown.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return text.length() > 100 ? shown + "..." : shown.toString();
  }

  @Override
  public String toString() {
    String shown = kind == ALL ? "*" : kind == SUFFIX ? "*" + host : host;
    if (port == 0) {
      return shown;
    }
    return (host.indexOf(':') >= 0 ? "[" + shown + "]" : shown) + ":" + port;
  }
}
