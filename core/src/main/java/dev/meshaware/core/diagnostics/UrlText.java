package dev.meshaware.core.diagnostics;

import java.util.Locale;

/**
 * The parts of a request URL a log line may show. The query string and fragment are dropped (they
 * carry tokens and personal data) and so are credentials in the authority; the host keys the repeat
 * limit and the counters.
 */
public final class UrlText {
  /** The host of a URL that has none meshaware can read. */
  public static final String UNKNOWN_HOST = "(unknown host)";

  private UrlText() {}

  /** {@code url} without query string, fragment and user info; "" for null. */
  public static String printable(String url) {
    if (url == null) {
      return "";
    }
    int end = url.length();
    int query = url.indexOf('?');
    if (query >= 0) {
      end = query;
    }
    int fragment = url.indexOf('#');
    if (fragment >= 0 && fragment < end) {
      end = fragment;
    }
    String shown = url.substring(0, end);
    int authority = authorityStart(shown);
    if (authority >= 0) {
      int at = shown.indexOf('@', authority);
      int authorityEnd = authorityEnd(shown, authority);
      if (at >= 0 && at < authorityEnd) {
        shown = shown.substring(0, authority) + shown.substring(at + 1);
      }
    }
    return Printable.of(shown, 300);
  }

  /** The host of {@code url} in lower case, without port or user info. */
  public static String host(String url) {
    if (url == null) {
      return UNKNOWN_HOST;
    }
    int start = authorityStart(url);
    if (start < 0) {
      return UNKNOWN_HOST;
    }
    int end = authorityEnd(url, start);
    int at = url.lastIndexOf('@', end - 1);
    if (at >= start) {
      start = at + 1;
    }
    String hostPort = url.substring(start, end);
    String host;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      host = close < 0 ? hostPort : hostPort.substring(0, close + 1);
    } else {
      int colon = hostPort.indexOf(':');
      host = colon < 0 ? hostPort : hostPort.substring(0, colon);
    }
    return host.isEmpty() ? UNKNOWN_HOST : Printable.of(host.toLowerCase(Locale.ROOT), 253);
  }

  private static int authorityStart(String url) {
    int scheme = url.indexOf("://");
    return scheme < 0 ? -1 : scheme + 3;
  }

  private static int authorityEnd(String url, int start) {
    for (int i = start; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        return i;
      }
    }
    return url.length();
  }
}
