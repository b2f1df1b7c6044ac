package dev.meshaware.core.shutdown;

import dev.meshaware.core.log.MeshLog;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The SIGTERM handler behind {@link TermSignal}. It runs the drain on the thread the JVM starts for
 * each signal, then calls the handler it replaced, the JVM's own, which runs the shutdown hooks and
 * exits with status 143, as without meshaware. A second SIGTERM, or a SIGINT, while the drain waits
 * cuts the wait short.
 *
 * <p>Only {@link TermSignal} touches this class, and only inside a guard: it names {@code
 * sun.misc}, which a runtime without the {@code jdk.unsupported} module lacks.
 */
final class TermSignalHandler implements SignalHandler {
  private static final Signal TERM = new Signal("TERM");
  private static final Signal INT = new Signal("INT");

  private final ShutdownDrain drain;
  private final Runnable first;
  private final String firstSaid;
  private SignalHandler previousTerm;
  private SignalHandler previousInt;

  private TermSignalHandler(ShutdownDrain drain, Runnable first, String firstSaid) {
    this.drain = drain;
    this.first = first;
    this.firstSaid = firstSaid;
  }

  /**
   * Installs the handler; null (with one line naming the reason and {@code otherwise}) when SIGTERM
   * cannot be taken.
   */
  static TermSignalHandler install(
      ShutdownDrain drain, Runnable first, String firstSaid, String otherwise) {
    TermSignalHandler handler = new TermSignalHandler(drain, first, firstSaid);
    synchronized (handler) {
      try {
        handler.previousTerm = Signal.handle(TERM, handler);
      } catch (IllegalArgumentException e) {
        // -Xrs: the JVM leaves SIGTERM alone, and so must meshaware.
        MeshLog.warn(
            "cannot handle SIGTERM ("
                + e.getMessage()
                + "; the JVM runs with -Xrs, or native code owns the signal); "
                + otherwise);
        return null;
      }
      if (handler.previousTerm == SignalHandler.SIG_IGN) {
        Signal.handle(TERM, SignalHandler.SIG_IGN);
        MeshLog.info("SIGTERM is ignored in this JVM; " + otherwise);
        return null;
      }
    }
    return handler;
  }

  /**
   * Gives SIGTERM back to the handler there before; false once the drain began, when the JVM is on
   * its way out and a later SIGTERM must still only cut the wait short.
   */
  synchronized boolean uninstall() {
    if (drain.begun()) {
      return false;
    }
    SignalHandler replaced = Signal.handle(TERM, previousTerm);
    if (replaced != this) {
      Signal.handle(TERM, replaced); // someone took SIGTERM after meshaware: theirs stays
    }
    return true;
  }

  @Override
  public void handle(Signal signal) {
    boolean first = true;
    try {
      JvmEnding.process().termReceived();
      takeInterrupt();
      first = drain.terminate("SIG" + signal.getName(), this.first, firstSaid);
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
