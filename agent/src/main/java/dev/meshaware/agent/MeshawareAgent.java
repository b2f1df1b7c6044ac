package dev.meshaware.agent;

import dev.meshaware.core.config.MeshawareKeys;
import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.log.MeshLog;
import dev.meshaware.core.startup.GateResult;
import dev.meshaware.core.startup.ReadinessGate;
import java.lang.instrument.Instrumentation;

/**
 * The {@code -javaagent} entry. Does the minimum on the main thread before the application's {@code
 * main}: read the settings, hold until the sidecar is ready. It never throws into the JVM and never
 * ends it, except when the user asked for fail-closed ({@code on-timeout=exit}).
 */
public final class MeshawareAgent {
  private MeshawareAgent() {}

  /** Runs before the application's {@code main}. */
  public static void premain(String arguments, Instrumentation instrumentation) {
    GateResult gate = null;
    try {
      MeshawareSettings settings = MeshawareSettings.fromSystem();
      if (!settings.get(MeshawareKeys.ENABLED)) {
        MeshLog.info("disabled (meshaware.enabled=false): the agent does nothing");
        return;
      }
      gate = new ReadinessGate(settings).await();
    } catch (Throwable t) {
      MeshLog.error("agent start-up failed, the application starts without meshaware: " + t);
    }
    if (gate != null) {
      gate.enforce();
    }
  }

  /**
   * Runs when attached to a running JVM. The application's {@code main} already ran, so there is no
   * start-up left to hold.
   */
  public static void agentmain(String arguments, Instrumentation instrumentation) {
    try {
      MeshLog.info("attached to a running JVM: the startup gate does not apply");
    } catch (Throwable t) {
      // never throw into the JVM that attached us
    }
  }
}
