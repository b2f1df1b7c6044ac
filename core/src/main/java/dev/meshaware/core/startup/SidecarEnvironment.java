package dev.meshaware.core.startup;

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
}
