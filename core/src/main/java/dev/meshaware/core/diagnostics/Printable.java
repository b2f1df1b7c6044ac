package dev.meshaware.core.diagnostics;

/**
 * Makes text that came over the network safe for one log line: control characters become spaces,
 * the length is capped. A body or exception message must never split or forge a log line.
 */
final class Printable {
  private Printable() {}

  static String of(String text, int maxChars) {
    if (text == null) {
      return "";
    }
    int length = Math.min(text.length(), maxChars);
    StringBuilder shown = new StringBuilder(length + 3);
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      shown.append(c < 0x20 || c == 0x7f ? ' ' : c);
    }
    return text.length() > maxChars ? shown.append("...").toString() : shown.toString();
  }
}
