package dev.meshaware.core.propagation;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The hosts of {@code meshaware.propagation.exclude-hosts}: {@code api.stripe.com}, {@code
 * *.googleapis.com} ({@code *.} stands for one or more leading labels), {@code *} (every host), an
 * IPv4 or IPv6 address ({@code 10.0.0.7}, {@code ::1} or {@code [::1]}), each optionally with a
 * port ({@code api.example.com:8443}, {@code [::1]:8080}) that limits it to calls to that port.
 * Patterns and destinations are read by {@link HostNames}, the same way for every client.
 *
 * <p>An entry that could never match a destination (a URL, a path, a {@code *} elsewhere than in
 * front, a bad port, text that is no host) is left out and reported in {@link #problems()}, so one
 * typo costs one pattern, not the whole list.
 *
 * <p>Fail closed: while the list is set, a destination whose host cannot be read counts as
 * excluded. Which host such a call reaches depends on how its client reads the text, so meshaware
 * cannot know whether it is one of the excluded hosts, and forwarding to an excluded host is the
 * one mistake the list exists to prevent; a call that does reach an allowed host only loses its
 * trace headers.
 */
public final class HostGlobs {
  /** The accepted form, quoted in messages. */
  public static final String ACCEPTED_FORM =
      "a comma-separated list of host names, *.suffix patterns or IP addresses, each optionally"
          + " with :port, e.g. *.googleapis.com,api.stripe.com,[::1]:8080";

  private static final HostGlobs NONE = new HostGlobs(Collections.emptyList(), false, null);

  private final List<HostPattern> patterns;
  private final boolean configured;
  private final List<String> problems;

  private HostGlobs(List<HostPattern> patterns, boolean configured, List<String> problems) {
    this.patterns = patterns;
    this.configured = configured;
    this.problems = problems == null ? Collections.emptyList() : problems;
  }

  /**
   * Reads the list; never throws. Each unusable entry is left out and described in {@link
   * #problems()}.
   */
  public static HostGlobs parse(String text) {
    if (text == null || text.trim().isEmpty()) {
      return NONE;
    }
    List<HostPattern> patterns = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String raw : text.split(",", -1)) {
      String entry = raw.trim();
      String problem = HostPattern.problem(entry);
      if (problem != null) {
        problems.add(problem);
      } else {
        patterns.add(HostPattern.parse(entry));
      }
    }
    return new HostGlobs(
        Collections.unmodifiableList(patterns), true, Collections.unmodifiableList(problems));
  }

  /**
   * Why entries of the list were left out, one sentence each naming the entry (empty when every
   * entry is usable).
   */
  public List<String> problems() {
    return problems;
  }

  /**
   * True when a call to {@code host} on {@code port} is excluded. {@code host} is what the client
   * holds (any case, with or without IPv6 brackets or a trailing dot); {@code port} is the port
   * called, or -1 when unknown, which a pattern with a port then matches, failing closed. A host
   * that cannot be read is excluded whenever the list is set.
   */
  public boolean matches(String host, int port) {
    if (!configured) {
      return false;
    }
    String name = HostNames.normalize(host);
    if (name == null) {
      return true;
    }
    for (HostPattern pattern : patterns) {
      if (pattern.matches(name, port)) {
        return true;
      }
    }
    return false;
  }

  /** {@link #matches(String, int)} with the port unknown. */
  public boolean matches(String host) {
    return matches(host, -1);
  }

  /**
   * True when a call to {@code uri} is excluded: its host (null when {@code java.net.URI} could not
   * read one, which then counts as excluded) and its port, or the scheme's default port.
   */
  public boolean matches(URI uri) {
    if (!configured) {
      return false;
    }
    return uri == null || matches(uri.getHost(), HostNames.port(uri));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof HostGlobs
        && configured == ((HostGlobs) other).configured
        && toString().equals(other.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode() * 31 + (configured ? 1 : 0);
  }

  /**
   * The usable patterns in canonical form, comma-separated: names first, then {@code *.suffix}
   * patterns, then {@code *}, each in the order given.
   */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    for (int kind = 0; kind < 3; kind++) {
      for (HostPattern pattern : patterns) {
        if (pattern.kind == kind) {
          text.append(text.length() == 0 ? "" : ",").append(pattern);
        }
      }
    }
    return text.toString();
  }

  /** True when no usable pattern was given. */
  public boolean isEmpty() {
    return patterns.isEmpty();
  }

  /** True when the list was set at all, even if none of its entries was usable. */
  public boolean isConfigured() {
    return configured;
  }
}
