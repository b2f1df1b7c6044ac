package dev.meshaware.core.propagation;

/**
 * IPv6 address text to one canonical form (RFC 5952: lower-case hex, no leading zeros, the longest
 * run of two or more zero groups as {@code ::}), so that every way of writing an address compares
 * equal. Written by hand rather than with {@code InetAddress}, which falls back to a DNS lookup for
 * text it does not take for a literal.
 */
final class Ipv6Text {
  private Ipv6Text() {}

  /**
   * The canonical text of the address {@code text} (without brackets; a {@code %zone} is dropped,
   * the address is the same on every interface for this purpose), an IPv4-mapped address ({@code
   * ::ffff:a.b.c.d}) as its dotted quad, or null when {@code text} is not an IPv6 address.
   */
  static String canonical(String text) {
    int percent = text.indexOf('%');
    String address = percent >= 0 ? text.substring(0, percent) : text;
    int[] groups = parse(address);
    if (groups == null) {
      return null;
    }
    if (groups[0] == 0
        && groups[1] == 0
        && groups[2] == 0
        && groups[3] == 0
        && groups[4] == 0
        && groups[5] == 0xffff) {
      return (groups[6] >> 8)
          + "."
          + (groups[6] & 0xff)
          + "."
          + (groups[7] >> 8)
          + "."
          + (groups[7] & 0xff);
    }
    return format(groups);
  }

  private static int[] parse(String address) {
    if (address.isEmpty()) {
      return null;
    }
    int[] groups = new int[8];
    int count = 0;
    int gap = -1; // index in groups where "::" stands
    int i = 0;
    int length = address.length();
    if (address.startsWith("::")) {
      gap = 0;
      i = 2;
      if (i == length) {
        return groups;
      }
    } else if (address.charAt(0) == ':') {
      return null;
    }
    while (i < length) {
      int start = i;
      int value = 0;
      while (i < length && hex(address.charAt(i)) >= 0 && i - start < 4) {
        value = value * 16 + hex(address.charAt(i));
        i++;
      }
      if (i < length && address.charAt(i) == '.') {
        // An IPv4 tail, e.g. ::ffff:127.0.0.1: two more groups.
        String tail = address.substring(start);
        if (count > 6 || !HostNames.isDottedQuad(tail, tail.length())) {
          return null;
        }
        String[] parts = tail.split("\\.");
        groups[count++] = Integer.parseInt(parts[0]) << 8 | Integer.parseInt(parts[1]);
        groups[count++] = Integer.parseInt(parts[2]) << 8 | Integer.parseInt(parts[3]);
        i = length;
        break;
      }
      if (i == start || count == 8) {
        return null;
      }
      groups[count++] = value;
      if (i == length) {
        break;
      }
      if (address.charAt(i) != ':') {
        return null;
      }
      i++;
      if (i < length && address.charAt(i) == ':') {
        if (gap >= 0) {
          return null;
        }
        gap = count;
        i++;
      } else if (i == length) {
        return null; // a single trailing ':'
      }
    }
    if (gap < 0) {
      return count == 8 ? groups : null;
    }
    if (count == 8) {
      return null; // "::" must stand for at least one group
    }
    int moved = count - gap;
    System.arraycopy(groups, gap, groups, 8 - moved, moved);
    java.util.Arrays.fill(groups, gap, 8 - moved, 0);
    return groups;
  }

  /** The value of an ASCII hex digit, or -1 ({@code Character.digit} takes other scripts too). */
  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
  }

  private static String format(int[] groups) {
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        text.append("::");
        i += bestLength - 1;
        continue;
      }
      if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
        text.append(':');
      }
      text.append(Integer.toHexString(groups[i]));
    }
    return text.toString();
  }
}
