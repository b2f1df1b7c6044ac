package dev.meshaware.spring.startup;

import dev.meshaware.core.config.ConfigSource;
import dev.meshaware.core.config.MeshawareKeys;
import dev.meshaware.core.config.Setting;
import dev.meshaware.core.log.MeshLog;
import dev.meshaware.spring.SpringConfigSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Says, once, that the meshaware agent runs in this JVM and the starter leaves the gate and the
 * header forwarding to it, and which {@code meshaware.*} settings the agent cannot see: it reads
 * system properties and environment variables only, never {@code application.properties}.
 */
final class AgentNotice {
  private AgentNotice() {}

  static void tell(SpringConfigSource spring, boolean agentForwardsHeaders) {
    MeshLog.info(
        "the meshaware agent is attached to this JVM: it ran the startup gate before main"
            + (agentForwardsHeaders ? " and forwards the trace headers" : "")
            + "; the starter leaves that to it and adds only what the agent lacks (the actuator"
            + " endpoint and the sidecar health)");
    List<String> unseen = settingsOnlySpringSees(spring, ConfigSource.system());
    if (!unseen.isEmpty()) {
      MeshLog.warn(
          "the agent does not read "
              + String.join(", ", unseen)
              + ", which only Spring's configuration sets; the agent uses its own values. Set them"
              + " as system properties (-Dmeshaware...) or MESHAWARE_* environment variables"
              + " instead");
    }
  }

  /** Keys whose Spring value differs from what the agent saw, with where Spring found them. */
  static List<String> settingsOnlySpringSees(SpringConfigSource spring, ConfigSource agent) {
    List<String> unseen = new ArrayList<>();
    for (Setting<?> setting : MeshawareKeys.ALL) {
      Optional<ConfigSource.RawValue> springValue = spring.lookup(setting.key());
      Optional<ConfigSource.RawValue> agentValue = agent.lookup(setting.key());
      boolean differs =
          springValue.isPresent()
              && (agentValue.isEmpty()
                  || !agentValue.get().text().equals(springValue.get().text()));
      if (differs) {
        unseen.add(setting.key() + " (" + springValue.get().origin() + ")");
      }
    }
    return unseen;
  }
}
