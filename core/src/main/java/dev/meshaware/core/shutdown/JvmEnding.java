package dev.meshaware.core.shutdown;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How this JVM is ending, pieced together from what the JVM lets an agent observe, so that the
 * proxy is told to quit only after a clean end. No hook learns the exit status directly: it is
 * {@code System.exit}'s argument, or, when the last thread ends, 1 if {@code main} threw and 0
 * otherwise. Whatever was not observed counts as unknown, never as clean.
 */
public final class JvmEnding {
  private static final JvmEnding PROCESS = new JvmEnding();
  private static final int NONE = Integer.MIN_VALUE;

  private final AtomicInteger exitStatus = new AtomicInteger(NONE);
  private final AtomicBoolean conflictingExits = new AtomicBoolean();
  private volatile boolean lastThreadEnded;
  private volatile boolean mainWatched;
  private volatile boolean mainFailed;
  private volatile boolean termReceived;
  private volatile long shutdownBegan;

  /** This process's record, which the agent's hooks fill in. */
  public static JvmEnding process() {
    return PROCESS;
  }

  /** For tests: a fresh record. */
  static JvmEnding fresh() {
    return new JvmEnding();
  }

  /** {@code System.exit(status)}, or the JVM's own exit on a signal, began the shutdown. */
  public static void exitCalled(int status) {
    PROCESS.onExit(status);
  }

  /** The last non-daemon thread ended, so the JVM shuts down on its own. */
  public static void lastThreadEnded() {
    PROCESS.onLastThread();
  }

  void onExit(int status) {
    markShutdownBegan();
    if (!exitStatus.compareAndSet(NONE, status) && exitStatus.get() != status) {
      conflictingExits.set(true); // which one wins is the JVM's race: unknown
    }
  }

  void onLastThread() {
    markShutdownBegan();
    lastThreadEnded = true;
  }

  /** {@code main}'s thread is watched from now on: an uncaught exception will be reported. */
  public void watchMainThread() {
    mainWatched = true;
  }

  /** {@code main} ended with an uncaught exception: the launcher will exit with status 1. */
  public void mainThreadFailed() {
    mainFailed = true;
  }

  /** SIGTERM arrived. */
  public void termReceived() {
    markShutdownBegan();
    termReceived = true;
  }

  private void markShutdownBegan() {
    if (shutdownBegan == 0) {
      shutdownBegan = System.nanoTime();
    }
  }

  /** {@link System#nanoTime()} when the shutdown began, or 0 when it was not observed. */
  public long shutdownBegan() {
    return shutdownBegan;
  }

  /** True only when the JVM is known to end on its own, with status 0, and no SIGTERM came. */
  public boolean endsCleanly() {
    if (termReceived || conflictingExits.get()) {
      return false;
    }
    int status = exitStatus.get();
    if (status != NONE) {
      return status == 0;
    }
    return lastThreadEnded && mainWatched && !mainFailed;
  }

  /** How the JVM ends, for the operator: {@code the JVM ends on SIGTERM}, ... */
  public String describe() {
    if (termReceived) {
      return "the JVM ends on SIGTERM";
    }
    if (conflictingExits.get()) {
      return "System.exit was called with different statuses, the exit status is unknown";
    }
    int status = exitStatus.get();
    if (status != NONE) {
      return "the JVM exits with status " + status;
    }
    if (lastThreadEnded) {
      if (!mainWatched) {
        return "the last thread ended, but whether main succeeded was not observed";
      }
      return mainFailed
          ? "main ended with an uncaught exception (exit status 1)"
          : "main returned and the last thread ended (exit status 0)";
    }
    return "the exit status is unknown (the JVM began to shut down before meshaware watched it)";
  }
}
