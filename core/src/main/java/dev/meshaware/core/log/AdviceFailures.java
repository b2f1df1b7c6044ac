package dev.meshaware.core.log;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Failures of meshaware's code inside the application's: an advice woven into a library method that
 * threw. The application never sees the exception (the advice is suppressed); meshaware counts it
 * per instrumentation, shows the count in the startup report, and prints the first few with their
 * exception as {@code DEBUG} lines.
 */
public final class AdviceFailures {
  /** DEBUG lines per instrumentation; the count goes on. */
  static final int LINES_PER_INSTRUMENTATION = 3;

  /** Distinct instrumentation names tracked; more are counted under one entry. */
  private static final int NAMES_LIMIT = 200;

  private static final Map<String, AtomicLong> COUNTS = new ConcurrentHashMap<>();

  private AdviceFailures() {}

  /**
   * Called by woven code with the exception an advice of {@code instrumentation} threw. Never
   * throws.
   */
  public static void record(Throwable failure, String instrumentation) {
    try {
      String name =
          COUNTS.size() < NAMES_LIMIT || COUNTS.containsKey(instrumentation)
              ? String.valueOf(instrumentation)
              : "others";
      long count = COUNTS.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
      if (count <= LINES_PER_INSTRUMENTATION && MeshLog.isDebugEnabled()) {
        MeshLog.debug(
            "advice of "
                + name
                + " failed (the application was not affected"
                + (count == LINES_PER_INSTRUMENTATION ? "; further failures are only counted" : "")
                + "): "
                + oneLine(failure));
      }
    } catch (Throwable ignored) {
      // counting must never disturb the application
    }
  }

  private static String oneLine(Throwable failure) {
    StringBuilder line = new StringBuilder(String.valueOf(failure));
    StackTraceElement[] trace =
        failure == null ? new StackTraceElement[0] : failure.getStackTrace();
    for (int i = 0; i < trace.length && i < 4; i++) {
      line.append(i == 0 ? " at " : " < ").append(trace[i]);
    }
    return line.toString().replace('\n', ' ').replace('\r', ' ');
  }

  /** Total failures so far. */
  public static long total() {
    long total = 0;
    for (AtomicLong count : COUNTS.values()) {
      total += count.get();
    }
    return total;
  }

  /** {@code none}, or {@code 3 (okhttp 2, tomcat 1); run with meshaware.debug=true ...}. */
  public static String summary() {
    if (COUNTS.isEmpty()) {
      return "none";
    }
    Map<String, Long> sorted = new TreeMap<>();
    COUNTS.forEach((name, count) -> sorted.put(name, count.get()));
    StringBuilder text = new StringBuilder().append(total()).append(" (");
    String separator = "";
    for (Map.Entry<String, Long> each : sorted.entrySet()) {
      text.append(separator).append(each.getKey()).append(' ').append(each.getValue());
      separator = ", ";
    }
    return text.append("); the application was not affected; meshaware.debug=true prints the")
        .append(" first ones; please report them")
        .toString();
  }

  /** For tests. */
  static void reset() {
    COUNTS.clear();
  }
}
