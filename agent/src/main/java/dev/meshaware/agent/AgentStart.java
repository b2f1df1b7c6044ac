package dev.meshaware.agent;

import dev.meshaware.agent.instrument.InstrumentationInstaller;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.agent.propagation.PropagationInstrumentations;
import dev.meshaware.core.AgentStatus;
import dev.meshaware.core.config.MeshawareKeys;
import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.log.MeshLog;
import dev.meshaware.core.propagation.HeaderPolicy;
import dev.meshaware.core.propagation.Propagation;
import dev.meshaware.core.startup.GateResult;
import dev.meshaware.core.startup.ReadinessGate;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/** What the agent does at start, once core is in the bootstrap loader. */
final class AgentStart {
  private AgentStart() {}

  static void run(
      Instrumentation instrumentation, boolean atStartup, String injection, long startNanos) {
    GateResult gate = null;
    try {
      MeshawareSettings settings = MeshawareSettings.fromSystem();
      MeshLog.enableDebug(settings.get(MeshawareKeys.DEBUG));
      MeshLog.debug(injection);
      if (!settings.get(MeshawareKeys.ENABLED)) {
        MeshLog.info("disabled (meshaware.enabled=false): the agent does nothing");
        return;
      }
      if (atStartup) {
        gate = new ReadinessGate(settings).await();
        if (gate.exitRequested()) {
          return;
        }
      } else {
        MeshLog.info("attached to a running JVM: the startup gate does not apply");
      }
      List<TypeInstrumentation> instrumentations = new ArrayList<>();
      if (settings.get(MeshawareKeys.PROPAGATION_ENABLED)) {
        Propagation.install(HeaderPolicy.from(settings));
        instrumentations.addAll(PropagationInstrumentations.all());
      }
      if (!instrumentations.isEmpty()) {
        InstrumentationInstaller.install(
            instrumentation, instrumentations, Propagation.class.getModule());
      }
    } catch (Throwable t) {
      MeshLog.error("agent start-up failed, the application runs without meshaware: " + t);
    } finally {
      // Tells a Spring Boot starter in this JVM what is already done (it reads the same class).
      AgentStatus.record(gate, Propagation.policy() != null);
      MeshLog.debug(
          "premain took "
              + (System.nanoTime() - startNanos) / 1_000_000
              + " ms"
              + (gate == null
                  ? ""
                  : ", of which the startup gate " + gate.waited().toMillis() + " ms"));
      if (gate != null) {
        gate.enforce();
      }
    }
  }
}
