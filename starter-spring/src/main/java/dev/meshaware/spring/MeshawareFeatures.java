package dev.meshaware.spring;

import dev.meshaware.core.AgentStatus;
import dev.meshaware.core.bind.ListenAddressPolicy;
import dev.meshaware.core.config.Durations;
import dev.meshaware.core.config.MeshawareKeys;
import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.shutdown.ShutdownDrain;
import dev.meshaware.core.startup.MeshDetection;
import dev.meshaware.spring.startup.StartupRecord;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Whether the starter does each feature in this application, and why: the one place the starter
 * decides it. The conditions ({@link ConditionalOnMeshawareFeature}) show the answer in Boot's
 * conditions report ({@code --debug}, {@code /actuator/conditions}); the beans take the feature's
 * object from here.
 *
 * <p>A feature is the starter's unless meshaware is off, the meshaware agent in this JVM does it
 * already, or it has nothing to do here (no sidecar can be beside the process and the user did not
 * ask for it explicitly).
 */
public final class MeshawareFeatures {
  private MeshawareFeatures() {}

  /** A feature of the starter's, as the conditions name it. */
  public enum Feature {
    /** Inbound capture, outbound forwarding, thread hops. */
    HEADER_FORWARDING(AgentStatus.Feature.HEADER_FORWARDING),
    /** The listen-address check of Boot's web servers. */
    BIND_CHECK(AgentStatus.Feature.BIND_CHECK),
    /** SIGTERM held for the shutdown delay and drain. */
    SHUTDOWN(AgentStatus.Feature.SHUTDOWN),
    /** Mesh failures of the clients seen by the starter's interceptors. */
    DIAGNOSTICS(AgentStatus.Feature.DIAGNOSTICS);

    private final AgentStatus.Feature agent;

    Feature(AgentStatus.Feature agent) {
      this.agent = agent;
    }

    /** For people: {@code the shutdown delay}. */
    public String description() {
      return agent.description();
    }
  }

  /** The answer for one feature: on or off, and the reason a person reads. */
  public record Decision(boolean on, String reason) {
    static Decision on(String reason) {
      return new Decision(true, reason);
    }

    static Decision off(String reason) {
      return new Decision(false, reason);
    }
  }

  /**
   * Whether the starter does {@code feature} here, with {@code settings} and what the startup gate
   * found ({@code record}, null when it did not run).
   */
  public static Decision decide(Feature feature, MeshawareSettings settings, StartupRecord record) {
    if (!settings.get(MeshawareKeys.ENABLED)) {
      return Decision.off(MeshawareKeys.ENABLED.key() + " is false");
    }
    if (AgentStatus.handles(feature.agent)) {
      return Decision.off("the meshaware agent attached to this JVM does " + feature.description());
    }
    switch (feature) {
      case HEADER_FORWARDING:
        return settings.get(MeshawareKeys.PROPAGATION_ENABLED)
            ? Decision.on("the starter forwards the headers of each request")
            : Decision.off(MeshawareKeys.PROPAGATION_ENABLED.key() + " is false");
      case DIAGNOSTICS:
        return settings.get(MeshawareKeys.DIAGNOSTICS_ENABLED)
            ? Decision.on("the starter observes the clients built from Boot's builders")
            : Decision.off(MeshawareKeys.DIAGNOSTICS_ENABLED.key() + " is false");
      case BIND_CHECK:
        return bindCheck(settings, record);
      case SHUTDOWN:
      default:
        return shutdown(settings, record);
    }
  }

  /** The listen-address policy the starter applies, or null when the check is not its. */
  public static ListenAddressPolicy bindPolicy(MeshawareSettings settings, StartupRecord record) {
    return decide(Feature.BIND_CHECK, settings, record).on()
        ? ListenAddressPolicy.from(settings, mesh(settings, record))
        : null;
  }

  /** The drain the starter holds SIGTERM for, or null when the delay is not its. */
  public static ShutdownDrain shutdownDrain(MeshawareSettings settings, StartupRecord record) {
    return decide(Feature.SHUTDOWN, settings, record).on()
        ? ShutdownDrain.from(settings, mesh(settings, record).mode().meshed())
        : null;
  }

  private static Decision bindCheck(MeshawareSettings settings, StartupRecord record) {
    MeshDetection mesh = mesh(settings, record);
    if (ListenAddressPolicy.from(settings, mesh) == null) {
      return settings.isExplicit(MeshawareKeys.BIND_CHECK) || mesh.mode().meshed()
          ? Decision.off(MeshawareKeys.BIND_CHECK.key() + " is off")
          : Decision.off(
              noSidecar(mesh) + " and " + MeshawareKeys.BIND_CHECK.key() + " is not set");
    }
    return Decision.on("the starter checks Boot's web servers: " + meshText(mesh));
  }

  private static Decision shutdown(MeshawareSettings settings, StartupRecord record) {
    MeshDetection mesh = mesh(settings, record);
    ShutdownDrain drain = ShutdownDrain.from(settings, mesh.mode().meshed());
    if (drain == null) {
      return settings.get(MeshawareKeys.SHUTDOWN_DELAY).isZero()
              && settings.get(MeshawareKeys.SHUTDOWN_DRAIN_TIMEOUT).isZero()
          ? Decision.off(
              MeshawareKeys.SHUTDOWN_DELAY.key()
                  + " and "
                  + MeshawareKeys.SHUTDOWN_DRAIN_TIMEOUT.key()
                  + " are 0")
          : Decision.off(
              noSidecar(mesh)
                  + " and neither "
                  + MeshawareKeys.SHUTDOWN_DELAY.key()
                  + " nor "
                  + MeshawareKeys.SHUTDOWN_DRAIN_TIMEOUT.key()
                  + " is set");
    }
    return Decision.on(
        "the starter holds SIGTERM for "
            + Durations.text(drain.delay())
            + " ("
            + MeshawareKeys.SHUTDOWN_DELAY.key()
            + "): "
            + meshText(mesh));
  }

  /**
   * The mesh mode by core's rule, found once per application's settings: without the gate's record
   * (gate off, or a context not started by {@code SpringApplication}) core reads the pod's
   * annotations file and listening ports, which every condition and bean would otherwise repeat.
   */
  private static MeshDetection mesh(MeshawareSettings settings, StartupRecord record) {
    synchronized (MESH) {
      Found found = MESH.get(settings);
      if (found == null || found.record != record) {
        found = new Found(record, StartupRecord.mesh(settings, record));
        MESH.put(settings, found);
      }
      return found.mesh;
    }
  }

  private record Found(StartupRecord record, MeshDetection mesh) {}

  /** By settings object (one per application context); weak, so a closed context's goes away. */
  private static final Map<MeshawareSettings, Found> MESH = new WeakHashMap<>();

  private static String noSidecar(MeshDetection mesh) {
    return "no sidecar can be here (" + mesh.evidence() + ")";
  }

  private static String meshText(MeshDetection mesh) {
    return mesh.mode().title() + " (" + mesh.evidence() + ")";
  }
}
