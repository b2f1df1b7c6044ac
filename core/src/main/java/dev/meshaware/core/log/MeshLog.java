package dev.meshaware.core.log;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * The one voice of meshaware: one line per event on stderr, prefixed {@code [meshaware]}, written
 * for a person operating a pod. No logging framework is used on purpose: the agent runs before any
 * framework is configured and must not initialise the application's logging early.
 */
public final class MeshLog {
  /** The prefix every line starts with, so operators can grep for it. */
  public static final String PREFIX = "[meshaware] ";

  private static volatile Consumer<String> sink = System.err::println;
  private static volatile boolean debug;

  private MeshLog() {}

  /** An event the operator may want to know about; no action needed. */
  public static void info(String message) {
    emit(PREFIX + message);
  }

  /** Something is likely wrong; the message says what to check. */
  public static void warn(String message) {
    emit(PREFIX + "WARNING " + message);
  }

  /** Something is wrong and meshaware cannot compensate; the message says the fix. */
  public static void error(String message) {
    emit(PREFIX + "ERROR " + message);
  }

  /**
   * Several lines that belong together (a report), passed to the sink as one message so that they
   * stay together in the application's log; each line carries the prefix.
   */
  public static void block(java.util.List<String> lines) {
    StringBuilder text = new StringBuilder();
    for (String line : lines) {
      text.append(text.length() == 0 ? "" : "\n").append(PREFIX).append(line);
    }
    emit(text.toString());
  }

  /**
   * Details for whoever investigates meshaware itself; printed only with {@code meshaware.debug}.
   */
  public static void debug(String message) {
    if (debug) {
      emit(PREFIX + "DEBUG " + message);
    }
  }

  /** True when {@link #debug} lines are printed. */
  public static boolean isDebugEnabled() {
    return debug;
  }

  /** Turns {@link #debug} lines on or off. */
  public static void enableDebug(boolean enabled) {
    debug = enabled;
  }

  /**
   * Redirects every line (the starter sends them to the application's logger). Returns the previous
   * sink so a caller can restore it.
   */
  public static Consumer<String> redirect(Consumer<String> newSink) {
    Consumer<String> previous = sink;
    sink = Objects.requireNonNull(newSink, "sink");
    return previous;
  }

  private static void emit(String line) {
    try {
      sink.accept(line);
    } catch (RuntimeException ignored) {
      // A broken sink must never break the application that meshaware rides in.
    }
  }
}
