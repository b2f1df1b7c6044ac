package dev.meshaware.core.shutdown;

import dev.meshaware.core.log.MeshLog;

/**
 * Takes SIGTERM before the JVM does, so that the drain runs before any shutdown hook. On SIGTERM
 * the JVM starts every shutdown hook at once and in no order, so a delay inside a hook (Spring's
 * included) cannot keep the application serving whole: a web server's, a pool's or another
 * library's hook is already stopping it. Taking the signal itself, meshaware runs the delay first
 * and then hands over to the JVM's own handling, which runs the hooks and exits with status 143,
 * exactly as without meshaware. A second SIGTERM or a SIGINT during the wait cuts it short.
 *
 * <p>One taker per JVM: the agent in {@code premain}, or the starter when there is no agent. {@code
 * sun.misc.Signal} is the JDK's supported door to signals ({@code jdk.unsupported}, kept open by
 * JEP 260); where it is missing, or {@code -Xrs} keeps SIGTERM from Java, one line says so and what
 * happens instead.
 */
public final class TermSignal {
  private static TermSignal current;

  private final TermSignalHandler handler;

  private TermSignal(TermSignalHandler handler) {
    this.handler = handler;
  }

  /**
   * Takes SIGTERM for {@code drain}: at the first SIGTERM {@code first} runs (said in the drain's
   * line as {@code firstSaid}, empty for nothing), then the drain, then the JVM's own handling.
   * Returns null when SIGTERM cannot be taken, after one line naming the reason and {@code
   * otherwise} (what happens instead), or when meshaware already holds it in this JVM.
   */
  public static TermSignal take(
      ShutdownDrain drain, Runnable first, String firstSaid, String otherwise) {
    synchronized (TermSignal.class) {
      if (current != null) {
        MeshLog.debug("SIGTERM is already taken by meshaware in this JVM; " + otherwise);
        return null;
      }
      TermSignalHandler handler;
      try {
        handler = TermSignalHandler.install(drain, first, firstSaid, otherwise);
      } catch (LinkageError e) {
        MeshLog.warn(
            "cannot handle SIGTERM (sun.misc.Signal is not available: this runtime lacks the"
                + " jdk.unsupported module; add it to the image with jlink --add-modules"
                + " jdk.unsupported); "
                + otherwise);
        return null;
      }
      if (handler == null) {
        return null;
      }
      InflightRequests.enable(); // the drain waits for them after the delay
      current = new TermSignal(handler);
      return current;
    }
  }

  /** True while meshaware holds SIGTERM in this JVM. */
  public static boolean taken() {
    synchronized (TermSignal.class) {
      return current != null;
    }
  }

  /**
   * Gives SIGTERM back to the handler there before (the application is closing by other means);
   * does nothing once the drain began, when the JVM is already on its way out.
   */
  public void release() {
    synchronized (TermSignal.class) {
      if (current != this) {
        return;
      }
      try {
        if (handler.uninstall()) {
          current = null;
        }
      } catch (RuntimeException e) {
        MeshLog.debug("could not give SIGTERM back: " + e);
      }
    }
  }
}
