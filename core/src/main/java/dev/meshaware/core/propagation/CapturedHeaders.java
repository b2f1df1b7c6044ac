package dev.meshaware.core.propagation;

import java.util.Locale;

/**
 * The trace and routing headers of one inbound request, as they arrived: validated, immutable,
 * names in lower case, values byte-exact. Carried to every outbound call made while serving it.
 */
public final class CapturedHeaders {
  private final String[] names;
  private final String[] values;
  private final Object origin;

  CapturedHeaders(String[] names, String[] values, Object origin) {
    this.names = names;
    this.values = values;
    this.origin = origin;
  }

  /** How many headers were captured (at least one: an empty capture is {@code null}). */
  public int size() {
    return names.length;
  }

  /** The lower-case name of header {@code index}. */
  public String name(int index) {
    return names[index];
  }

  /** The value of header {@code index}, exactly as received. */
  public String value(int index) {
    return values[index];
  }

  /** The value of {@code name} (any case), or null. */
  public String get(String name) {
    String wanted = name.toLowerCase(Locale.ROOT);
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(wanted)) {
        return values[i];
      }
    }
    return null;
  }

  /**
   * The inbound request object these headers came from, so nested entry points of the same request
   * (a filter chain, a servlet inside it) do not capture again.
   */
  public Object origin() {
    return origin;
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("{");
    for (int i = 0; i < names.length; i++) {
      text.append(i == 0 ? "" : ", ").append(names[i]).append('=').append(values[i]);
    }
    return text.append('}').toString();
  }
}
