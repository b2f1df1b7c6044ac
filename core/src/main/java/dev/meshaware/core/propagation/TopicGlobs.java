package dev.meshaware.core.propagation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The topics whose records never receive forwarded headers ({@code
 * meshaware.propagation.exclude-topics}): exact topic names, or {@code prefix*} for every topic
 * whose name starts with {@code prefix} ({@code *} alone: every topic). Names are compared exactly,
 * as Kafka does.
 */
public final class TopicGlobs {
  /** The accepted form, quoted in messages. */
  public static final String ACCEPTED_FORM =
      "a comma-separated list of topic names or prefix* patterns (letters, digits, '.', '_', '-'),"
          + " e.g. audit-log,external.*";

  /** Kafka's longest topic name. */
  private static final int MAX_TOPIC_LENGTH = 249;

  private static final TopicGlobs NONE =
      new TopicGlobs(new String[0], new String[0], Collections.emptyList());

  private final String[] exact;
  private final String[] prefixes;
  private final List<String> problems;

  /**
   * True when an entry could not be read: which topics it meant is unknown, and sending headers to
   * a topic the list exists to protect is the one mistake it must prevent, so every topic is
   * excluded until the entry is fixed (as a host that cannot be read is, for exclude-hosts).
   */
  private final boolean failClosed;

  private TopicGlobs(String[] exact, String[] prefixes, List<String> problems) {
    this.exact = exact;
    this.prefixes = prefixes;
    this.problems = problems;
    this.failClosed = !problems.isEmpty();
  }

  /** Reads the list; never throws. Each unusable entry is left out and described. */
  public static TopicGlobs parse(String text) {
    if (text == null || text.trim().isEmpty()) {
      return NONE;
    }
    List<String> exact = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String raw : text.split(",", -1)) {
      String entry = raw.trim();
      if (entry.isEmpty()) {
        continue;
      }
      boolean prefix = entry.endsWith("*");
      String name = prefix ? entry.substring(0, entry.length() - 1) : entry;
      String problem = problem(name, prefix);
      if (problem != null) {
        problems.add("'" + entry + "' " + problem);
      } else if (prefix) {
        prefixes.add(name);
      } else {
        exact.add(name);
      }
    }
    return new TopicGlobs(
        exact.toArray(new String[0]),
        prefixes.toArray(new String[0]),
        Collections.unmodifiableList(problems));
  }

  private static String problem(String name, boolean prefix) {
    if (name.isEmpty() && !prefix) {
      return "is empty";
    }
    if (!prefix && (name.equals(".") || name.equals(".."))) {
      return "is a name Kafka forbids for topics";
    }
    if (name.length() > MAX_TOPIC_LENGTH) {
      return "is longer than a topic name can be (" + MAX_TOPIC_LENGTH + " characters)";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean legal =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-';
      if (!legal) {
        return c == '*'
            ? "has a '*' that is not at its end (only prefix* patterns are accepted)"
            : "has '" + c + "', which no topic name can hold";
      }
    }
    return null;
  }

  /**
   * Why entries could not be read, one sentence each naming the entry; while any is listed, every
   * topic is excluded.
   */
  public List<String> problems() {
    return problems;
  }

  /** True when no entry is configured: every topic gets headers. */
  public boolean isEmpty() {
    return exact.length == 0 && prefixes.length == 0 && !failClosed;
  }

  /**
   * True when records to {@code topic} get no headers; a record without a topic (null) is excluded
   * whenever the list is set, as a host that cannot be read is.
   */
  public boolean matches(String topic) {
    if (isEmpty()) {
      return false;
    }
    if (topic == null || failClosed) {
      return true;
    }
    for (String name : exact) {
      if (name.equals(topic)) {
        return true;
      }
    }
    for (String prefix : prefixes) {
      if (topic.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TopicGlobs && other.toString().equals(toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  @Override
  public String toString() {
    List<String> entries = new ArrayList<>();
    Collections.addAll(entries, exact);
    for (String prefix : prefixes) {
      entries.add(prefix + "*");
    }
    return String.join(",", entries) + (failClosed ? " (every topic: an entry is unreadable)" : "");
  }
}
