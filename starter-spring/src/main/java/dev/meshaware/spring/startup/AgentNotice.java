package dev.meshaware.spring.startup;

import dev.meshaware.core.AgentStatus;
import dev.meshaware.core.AgentStatus.Feature;
import dev.meshaware.core.config.ConfigSource;
import dev.meshaware.core.config.MeshawareKeys;
import dev.meshaware.core.config.Setting;
import dev.meshaware.core.log.MeshLog;
import dev.meshaware.spring.SpringConfigSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Says, once, that the meshaware agent runs in this JVM, which of the starter's work it does and
 * which the starter does (all the agent did not put in place, e.g. because its start failed, and
 * why), and which {@code meshaware.*} settings the agent cannot see: it reads system properties and
 * environment variables only, never {@code application.properties}.
 */
final class AgentNotice {
  private AgentNotice() {}

  static void tell(SpringConfigSource spring) {
    String failure = AgentStatus.failure();
    String line = line(failure, AgentStatus.features());
    if (failure != null) {
      MeshLog.warn(line);
    } else {
      MeshLog.info(line);
    }
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

  /** The one line: who does what, and why the starter does what it does. */
  static String line(String failure, Set<Feature> byAgent) {
    List<String> agent = new ArrayList<>();
    List<String> starter = new ArrayList<>();
    for (Feature feature : Feature.values()) {
      (byAgent.contains(feature) ? agent : starter).add(feature.description());
    }
    if (failure != null) {
      return "agent start failed: "
          + failure
          + "; the starter takes over "
          + (starter.isEmpty() ? "nothing" : join(starter))
          + (agent.isEmpty() ? "" : ", the agent still does " + join(agent));
    }
    return "the meshaware agent is attached to this JVM and does "
        + (agent.isEmpty() ? "none of the starter's work" : join(agent))
        + "; the starter leaves that to it and adds what the agent lacks (the actuator endpoint"
        + " and the sidecar health"
        + (starter.isEmpty() ? "" : ", and " + join(starter) + " as its own settings say")
        + ")";
  }

  /** {@code a}, {@code a and b}, {@code a, b and c}. */
  private static String join(List<String> items) {
    int last = items.size() - 1;
    return last == 0
        ? items.get(0)
        : String.join(", ", items.subList(0, last)) + " and " + items.get(last);
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
