package dev.meshaware.agent;

import java.lang.instrument.Instrumentation;

/**
 * The {@code -javaagent} entry. Does the minimum on the main thread before the application's {@code
 * main}: put core where every class loader sees it, read the settings, hold until the sidecar is
 * ready, register the (lazy) instrumentation. It never throws into the JVM and never ends it,
 * except when the user asked for fail-closed ({@code on-timeout=exit}).
 *
 * <p>No core type may appear in this class: the bootstrap injection must come first.
 */
public final class MeshawareAgent {
  private MeshawareAgent() {}

  /** Runs before the application's {@code main}. */
  public static void premain(String arguments, Instrumentation instrumentation) {
    start(instrumentation, true);
  }

  /**
   * Runs when attached to a running JVM: the application's {@code main} already ran, so there is no
   * start-up left to hold, but instrumentation still applies to what runs from now on.
   */
  public static void agentmain(String arguments, Instrumentation instrumentation) {
    start(instrumentation, false);
  }

  private static void start(Instrumentation instrumentation, boolean atStartup) {
    long startNanos = System.nanoTime();
    String injection;
    try {
      injection = BootstrapInjector.inject(instrumentation);
    } catch (Throwable t) {
      System.err.println(
          "[meshaware] ERROR cannot prepare the agent ("
              + t
              + "); the application runs without meshaware");
      return;
    }
    AgentStart.run(instrumentation, atStartup, injection, startNanos);
  }
}
