package dev.meshaware.core.startup;

import dev.meshaware.core.config.MeshawareKeys;
import dev.meshaware.core.config.MeshawareSettings;

/** Facts about where the process runs that decide whether a sidecar can exist at all. */
public final class SidecarEnvironment {
  /** Set by the kubelet in every container of every pod. */
  public static final String KUBERNETES_SERVICE_HOST = "KUBERNETES_SERVICE_HOST";

  private SidecarEnvironment() {}

  /** True in a Kubernetes pod: the only place an Istio sidecar can run beside this process. */
  public static boolean inKubernetes(MeshawareSettings settings) {
    String host = settings.environment(KUBERNETES_SERVICE_HOST);
    return host != null && !host.trim().isEmpty();
  }

  /**
   * Whether a sidecar is beside this process or could be: the rule of the gate's {@code auto} mode,
   * which the features that only matter beside a sidecar (the bind check, the shutdown drain, the
   * proxy quit) share. What the gate found wins: a sidecar answered or was waited for (yes), the
   * pod annotations or the silent status port said none (no). When the gate did not look (switched
   * off, attached late), a sidecar could be here in any Kubernetes pod whose annotations, if
   * mounted, do not say otherwise.
   *
   * @param gate the gate's result, or null when it did not run
   */
  public static boolean mayHaveSidecar(MeshawareSettings settings, GateResult gate) {
    if (gate != null) {
      switch (gate.verdict()) {
        case READY:
        case TIMED_OUT:
          return true;
        case NO_SIDECAR:
          return false;
        default:
          break; // SKIPPED: the gate did not look
      }
    }
    if (!inKubernetes(settings)) {
      return false;
    }
    String file = settings.get(MeshawareKeys.STARTUP_POD_ANNOTATIONS_FILE);
    if (file.isEmpty()) {
      return true;
    }
    PodAnnotations.Finding finding = PodAnnotations.read(file).finding();
    return finding == PodAnnotations.Finding.SIDECAR
        || finding == PodAnnotations.Finding.UNREADABLE;
  }
}
