package dev.meshaware.agent.shutdown;

import dev.meshaware.core.log.MeshLog;
import dev.meshaware.core.shutdown.JvmEnding;
import dev.meshaware.core.shutdown.ShutdownDrain;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Takes SIGTERM before the JVM does, to drain before any shutdown hook runs. On SIGTERM the JVM
 * starts every application shutdown hook at once and in no order, so a hook of meshaware's could
 * not keep the application serving: a web server's own hook would already be stopping it. The
 * handler runs the drain on the thread the JVM starts for each signal, then calls the handler it
 * replaced, the JVM's own, which runs the hooks and exits with status 143, as without the agent.
 *
 * <p>A second SIGTERM, or a SIGINT, while the drain waits cuts the wait short. {@code
 * sun.misc.Signal} is the JDK's supported door to signals ({@code jdk.unsupported}, kept open by
 * JEP 260).
 */
final class TermSignalHandler implements SignalHandler {
  private static final Signal TERM = new Signal("TERM");
  private static final Signal INT = new Signal("INT");

  private final ShutdownDrain drain;
  private SignalHandler previousTerm;
  private SignalHandler previousInt;

  private TermSignalHandler(ShutdownDrain drain) {
    this.drain = drain;
  }

  /** Installs the handler; false (with the reason logged) when SIGTERM cannot be taken. */
  static boolean install(ShutdownDrain drain) {
    TermSignalHandler handler = new TermSignalHandler(drain);
    synchronized (handler) {
      try {
        handler.previousTerm = Signal.handle(TERM, handler);
      } catch (IllegalArgumentException e) {
        // -Xrs: the JVM leaves SIGTERM alone, and so must meshaware.
        MeshLog.warn("cannot handle SIGTERM (" + e.getMessage() + "); the shutdown delay is off");
        return false;
      }
      if (handler.previousTerm == SignalHandler.SIG_IGN) {
        Signal.handle(TERM, SignalHandler.SIG_IGN);
        MeshLog.info("SIGTERM is ignored in this JVM; the shutdown delay is off");
        return false;
      }
    }
    return true;
  }

  @Override
  public void handle(Signal signal) {
    boolean first = true;
    try {
      JvmEnding.process().termReceived();
      takeInterrupt();
      first = drain.terminate("SIG" + signal.getName());
    } catch (Throwable t) {
      // Whatever went wrong, the JVM must still shut down as it would have.
    } finally {
      if (first) {
        handOver(previousTerm(), TERM);
      }
    }
  }

  private synchronized SignalHandler previousTerm() {
    return previousTerm;
  }

  /** From the first SIGTERM on, SIGINT only cuts the wait short: the JVM is already leaving. */
  private synchronized void takeInterrupt() {
    if (previousInt != null) {
      return;
    }
    try {
      previousInt =
          Signal.handle(
              INT,
              signal -> {
                if (!drain.hurry("SIGINT")) {
                  handOver(previousInt(), INT);
                }
              });
    } catch (IllegalArgumentException e) {
      // SIGINT not available: a second SIGTERM still cuts the wait short
    }
  }

  private synchronized SignalHandler previousInt() {
    return previousInt;
  }

  /** Lets the handler that was there before handle {@code signal}, the JVM's default included. */
  private static void handOver(SignalHandler previous, Signal signal) {
    try {
      if (previous != null && previous != SignalHandler.SIG_DFL) {
        previous.handle(signal);
        return;
      }
    } catch (UnsupportedOperationException nativeHandler) {
      // a handler installed by native code cannot be called from Java: fall back to the default
    }
    Signal.handle(signal, SignalHandler.SIG_DFL);
    Signal.raise(signal);
  }
}
