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
