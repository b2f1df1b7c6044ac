package dev.meshaware.core.propagation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Host patterns such as {@code api.stripe.com} or {@code *.googleapis.com} ({@code *.} matches one
 * or more leading labels; a lone {@code *} matches every host).
 */
public final class HostGlobs {
  /** The accepted form, quoted in messages. */
  public static final String ACCEPTED_FORM =
      "a comma-separated list of host names or *.suffix patterns, e.g. *.googleapis.com,api.stripe.com";

  private final List<String> exact;
  private final List<String> suffixes;
  private final boolean all;

  private HostGlobs(List<String> exact, List<String> suffixes, boolean all) {
    this.exact = exact;
    this.suffixes = suffixes;
    this.all = all;
  }

  /** Parses the list; {@link IllegalArgumentException} naming the first bad entry. */
  public static HostGlobs parse(String text) {
    List<String> exact = new ArrayList<>();
    List<String> suffixes = new ArrayList<>();
    boolean all = false;
    for (String raw : text.split(",")) {
      String entry = raw.trim().toLowerCase(Locale.ROOT);
      if (entry.isEmpty()) {
        continue;
      }
      if (entry.equals("*")) {
        all = true;
        continue;
      }
      String host = entry.startsWith("*.") ? entry.substring(2) : entry;
      if (host.isEmpty() || !host.matches("[a-z0-9.:\\-\\[\\]_]+") || host.startsWith(".")) {
        throw new IllegalArgumentException("'" + raw.trim() + "' is not a host or *.suffix");
      }
      if (entry.startsWith("*.")) {
        suffixes.add("." + host);
      } else {
        exact.add(host);
      }
    }
    return new HostGlobs(
        Collections.unmodifiableList(exact), Collections.unmodifiableList(suffixes), all);
  }

  /** True when {@code host} (any case, optionally with a trailing dot) matches a pattern. */
  public boolean matches(String host) {
    if (all) {
      return true;
    }
    if (host == null || (exact.isEmpty() && suffixes.isEmpty())) {
      return false;
    }
    String name = host.toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    if (exact.contains(name)) {
      return true;
    }
    for (String suffix : suffixes) {
      if (name.endsWith(suffix) && name.length() > suffix.length()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof HostGlobs)) {
      return false;
    }
    HostGlobs that = (HostGlobs) other;
    return all == that.all && exact.equals(that.exact) && suffixes.equals(that.suffixes);
  }

  @Override
  public int hashCode() {
    return (exact.hashCode() * 31 + suffixes.hashCode()) * 31 + (all ? 1 : 0);
  }

  /** The patterns in lower case, comma-separated: names first, then {@code *.suffix} patterns. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(all ? "*" : "");
    exact.forEach(host -> text.append(text.length() == 0 ? "" : ",").append(host));
    suffixes.forEach(
        suffix -> text.append(text.length() == 0 ? "" : ",").append('*').append(suffix));
    return text.toString();
  }

  /** True when no pattern was given. */
  public boolean isEmpty() {
    return !all && exact.isEmpty() && suffixes.isEmpty();
  }
}
