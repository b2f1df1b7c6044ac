package dev.meshaware.agent.testing;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The output and exit status of a child JVM that ended. */
public final class Result {
  private final int exitCode;
  private final List<ChildJvm.Line> lines;
  private final long startedAt;
  private final long endedAt;

  Result(int exitCode, List<ChildJvm.Line> lines, long startedAt, long endedAt) {
    this.exitCode = exitCode;
    this.lines = lines;
    this.startedAt = startedAt;
    this.endedAt = endedAt;
  }

  public int exitCode() {
    return exitCode;
  }

  public List<String> lines() {
    return lines.stream().map(ChildJvm.Line::text).collect(Collectors.toList());
  }

  /** Lines meshaware printed. */
  public List<String> meshawareLines() {
    return lines().stream().filter(l -> l.startsWith("[meshaware]")).collect(Collectors.toList());
  }

  /**
   * Warnings the JVM itself printed ({@code WARNING: A terminally deprecated method in
   * sun.misc.Unsafe...}, {@code WARNING: A Java agent has been loaded dynamically...}, {@code
   * WARNING: A restricted method...}), which an agent can cause; a library's own log lines that
   * start with {@code WARNING:} (Tomcat's, through java.util.logging) are not among them.
   */
  public List<String> jvmWarnings() {
    return lines().stream()
        .filter(
            l ->
                l.startsWith("WARNING: A ")
                    || l.startsWith("WARNING: An illegal")
                    || l.startsWith("WARNING: sun.misc")
                    || l.startsWith("WARNING: java.lang.")
                    || l.startsWith("WARNING: Restricted methods")
                    || l.startsWith("WARNING: Use --")
                    || l.startsWith("WARNING: Please consider reporting"))
        .collect(Collectors.toList());
  }

  public Optional<String> firstLineContaining(String text) {
    return lines().stream().filter(l -> l.contains(text)).findFirst();
  }

  /** Index of the first line containing {@code text}, or -1. */
  public int indexOf(String text) {
    List<String> all = lines();
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).contains(text)) {
        return i;
      }
    }
    return -1;
  }

  /** Wall time from starting the child to its end, in milliseconds. */
  public long elapsedMillis() {
    return endedAt - startedAt;
  }

  @Override
  public String toString() {
    return "exit " + exitCode + ", output:\n" + String.join("\n", lines());
  }
}
