package dev.meshaware.agent.shutdown;

import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.log.MeshLog;
import dev.meshaware.core.shutdown.JvmEnding;
import dev.meshaware.core.shutdown.ProxyQuit;
import dev.meshaware.core.shutdown.ShutdownDrain;
import dev.meshaware.core.shutdown.TermSignal;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/** Puts core's shutdown policy in place: the drain on SIGTERM and the proxy quit at the end. */
public final class ShutdownHandling {
  /** Runs nothing: an anonymous class rather than a lambda, loaded ahead while the gate waits. */
  private static final Runnable NOTHING =
      new Runnable() {
        @Override
        public void run() {}
      };

  private ShutdownHandling() {}

  /**
   * Installs {@code drain} and {@code quit} (either may be null: not wanted) and returns the
   * instrumentations they need. {@code watchMain}: the agent runs on the thread that will run
   * {@code main} ({@code premain}), so an uncaught exception there can be noted.
   *
   * <p>Must run before the instrumentation is installed: registering the late shutdown hook loads
   * {@code java.lang.Shutdown}, which is then retransformed in the background instead of being
   * transformed on the spot, which would start the instrumentation engine on this thread.
   */
  public static List<TypeInstrumentation> install(
      Instrumentation jvm, ShutdownDrain drain, ProxyQuit quit, boolean watchMain) {
    List<TypeInstrumentation> needed = new ArrayList<>();
    if (drain != null) {
      TermSignal.take(drain, NOTHING, "", "the shutdown delay is off"); // counts requests too
    }
    Runnable quitAtEnd =
        new Runnable() {
          @Override
          public void run() {
            atJvmEnd(quit);
          }
        };
    if (quit != null && AfterApplicationHooks.register(jvm, quitAtEnd)) {
      if (quit.needsExitStatus()) {
        needed.add(new JvmExitInstrumentation());
        if (!(watchMain && MainThreadWatch.watchCurrentThread())) {
          MeshLog.debug("main thread not watched: an end on its own will not quit the proxy");
        }
      }
    }
    return needed;
  }

  /**
   * The late hook runs on the thread that began the shutdown. When the last non-daemon thread
   * ended, that is the thread HotSpot attaches to destroy the VM, named {@value #DESTROY_THREAD}:
   * the one sign of an end on its own that needs no instrumentation, so a Job that returns before
   * the background retransformation of {@code java.lang.Shutdown} finished is still recognised.
   */
  private static void atJvmEnd(ProxyQuit quit) {
    if (DESTROY_THREAD.equals(Thread.currentThread().getName())) {
      JvmEnding.lastThreadEnded();
    }
    quit.atJvmEnd();
  }

  private static final String DESTROY_THREAD = "DestroyJavaVM";
}
