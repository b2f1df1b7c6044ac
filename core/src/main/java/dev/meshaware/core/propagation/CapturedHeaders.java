package dev.meshaware.core.propagation;

import java.util.Locale;

/**
 * The trace and routing headers of one inbound request, as they arrived: validated, immutable,
 * names in lower case, values byte-exact. Carried to every outbound call made while serving it.
 */
public final class CapturedHeaders {
  private final String[] names;
  private final String[] values;

  CapturedHeaders(String[] names, String[] values) {
    this.names = names;
    this.values = values;
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
   * These headers without the ones whose index is true in {@code dropped} (shorter than {@link
   * #size()}: the rest are kept), or null when none is left; this object itself when none is
   * dropped. For a client that keeps, with a call, the headers it owes the call: those the
   * application did not set itself.
   */
  public CapturedHeaders without(boolean[] dropped) {
    int kept = 0;
    for (int i = 0; i < names.length; i++) {
      if (i >= dropped.length || !dropped[i]) {
        kept++;
      }
    }
    if (kept == names.length) {
      return this;
    }
    if (kept == 0) {
      return null;
    }
    String[] keptNames = new String[kept];
    String[] keptValues = new String[kept];
    for (int i = 0, j = 0; i < names.length; i++) {
      if (i >= dropped.length || !dropped[i]) {
        keptNames[j] = names[i];
        keptValues[j++] = values[i];
      }
    }
    return new CapturedHeaders(keptNames, keptValues);
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
