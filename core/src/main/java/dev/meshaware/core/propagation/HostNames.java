package dev.meshaware.core.propagation;

import java.net.URI;

/**
 * The one reading of a destination host that every client and every exclusion pattern goes through,
 * so that {@code [::1]}, {@code ::1} and {@code 0:0:0:0:0:0:0:1}, or {@code Api.Example.} and
 * {@code api.example}, are the same host whichever library made the call. Pure text work: no name
 * is ever resolved, so a check costs no DNS and no time.
 *
 * <p>A host reads as one of: a name (ASCII letters, digits, {@code -}, dot-separated labels of 1 to
 * 63 characters, at most 253 in all), a dotted-quad IPv4 address, or an IPv6 address. Everything
 * else is unreadable and yields null: empty, non-ASCII (clients send international names as {@code
 * xn--} labels), {@code _} (not valid in a host name; {@code java.net.URI} gives no host for it
 * while {@code java.net.URL} and OkHttp give one, so clients disagree on what it is), a number that
 * is not a plain dotted quad ({@code 127.1}, {@code 0x7f.0.0.1}, {@code 010.0.0.1}, which parsers
 * read differently).
 */
public final class HostNames {
  private HostNames() {}

  /**
   * The canonical form of {@code host}, or null when it cannot be read: lower case, one trailing
   * dot dropped, IPv6 without brackets or zone in its shortest form (RFC 5952), an IPv4-mapped IPv6
   * address as its IPv4 address.
   */
  public static String normalize(String host) {
    if (host == null || host.isEmpty()) {
      return null;
    }
    if (host.charAt(0) == '[') {
      return host.length() > 2 && host.charAt(host.length() - 1) == ']'
          ? Ipv6Text.canonical(host.substring(1, host.length() - 1))
          : null;
    }
    if (host.indexOf(':') >= 0) {
      return Ipv6Text.canonical(host);
    }
    return name(host);
  }

  /**
   * The port a call to {@code uri} goes to: its own, else the scheme's default (80 for {@code
   * http}/{@code ws}, 443 for {@code https}/{@code wss}), else -1 (unknown).
   */
  public static int port(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return defaultPort(uri.getScheme());
  }

  /** 80 for {@code http}/{@code ws}, 443 for {@code https}/{@code wss}, else -1 (unknown). */
  public static int defaultPort(String scheme) {
    if (scheme == null) {
      return -1;
    }
    if (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("ws")) {
      return 80;
    }
    if (scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("wss")) {
      return 443;
    }
    return -1;
  }

  private static String name(String host) {
    int end = host.length();
    if (host.charAt(end - 1) == '.') {
      end--; // "example.com." is the fully qualified "example.com"
    }
    if (end == 0 || end > 253) {
      return null;
    }
    StringBuilder lower = null;
    int labelStart = 0;
    boolean labelNumeric = true;
    for (int i = 0; i <= end; i++) {
      char c = i < end ? host.charAt(i) : '.';
      if (c == '.') {
        if (i == labelStart || i - labelStart > 63) {
          return null;
        }
        if (i == end && labelNumeric) {
          // A name whose last label is a number is an IPv4 address, and only the plain dotted
          // quad reads the same in every parser.
          return isDottedQuad(host, end) ? host.substring(0, end) : null;
        }
        labelStart = i + 1;
        labelNumeric = true;
        continue;
      }
      if (c >= 'A' && c <= 'Z') {
        if (lower == null) {
          lower = new StringBuilder(host.substring(0, end));
        }
        lower.setCharAt(i, (char) (c + ('a' - 'A')));
      } else if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '-') {
        return null;
      }
      labelNumeric &= c >= '0' && c <= '9';
    }
    return lower != null ? lower.toString() : host.substring(0, end);
  }

  /** Four decimal parts 0 to 255, without leading zeros. */
  static boolean isDottedQuad(CharSequence text, int end) {
    int parts = 0;
    int value = -1;
    int digits = 0;
    for (int i = 0; i <= end; i++) {
      char c = i < end ? text.charAt(i) : '.';
      if (c == '.') {
        if (digits == 0 || value > 255 || (digits > 1 && text.charAt(i - digits) == '0')) {
          return false;
        }
        parts++;
        value = -1;
        digits = 0;
      } else if (c >= '0' && c <= '9') {
        value = (value < 0 ? 0 : value) * 10 + (c - '0');
        if (++digits > 3) {
          return false;
        }
      } else {
        return false;
      }
    }
    return parts == 4;
  }
}
