package dev.meshaware.core.bind;

import dev.meshaware.core.startup.MeshMode;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ports a mesh owns in the pod's network namespace, with what each is for: the Istio sidecar's
 * (istio.io, "Application requirements"), ztunnel's in an ambient pod (its in-pod listeners), and
 * Linkerd's proxy's (linkerd.io, "Ports"). The application shares that namespace, so it must use
 * none of them.
 */
public final class SidecarPorts {
  private static final Map<Integer, String> ROLES;
  private static final Map<Integer, String> ZTUNNEL;
  private static final Map<Integer, String> LINKERD;

  static {
    Map<Integer, String> roles = new TreeMap<>();
    roles.put(15000, "Envoy admin");
    roles.put(15001, "outbound capture");
    roles.put(15002, "failure detection");
    roles.put(15004, "debug");
    roles.put(15006, "inbound capture");
    roles.put(15008, "HBONE mTLS tunnel");
    roles.put(15009, "HBONE, older Istio");
    roles.put(15020, "merged telemetry and agent status");
    roles.put(15021, "health checks");
    roles.put(15053, "DNS proxy");
    roles.put(15090, "Envoy Prometheus telemetry");
    ROLES = Collections.unmodifiableMap(roles);
    Map<Integer, String> ztunnel = new TreeMap<>();
    ztunnel.put(15001, "ztunnel's outbound capture");
    ztunnel.put(15006, "ztunnel's plaintext inbound capture");
    ztunnel.put(15008, "ztunnel's HBONE mTLS tunnel");
    ztunnel.put(15053, "ztunnel's DNS proxy");
    ZTUNNEL = Collections.unmodifiableMap(ztunnel);
    Map<Integer, String> linkerd = new TreeMap<>();
    linkerd.put(4140, "Linkerd proxy's outbound capture");
    linkerd.put(4143, "Linkerd proxy's inbound capture");
    linkerd.put(4190, "Linkerd proxy's control (tap) port");
    linkerd.put(4191, "Linkerd proxy's admin: readiness, metrics, shutdown");
    LINKERD = Collections.unmodifiableMap(linkerd);
  }

  /**
   * What the mesh of {@code mode} uses {@code port} for in the pod, or null when it is not one of
   * its ports.
   */
  public static String role(MeshMode mode, int port) {
    if (mode == MeshMode.ISTIO_AMBIENT) {
      return ZTUNNEL.get(port);
    }
    if (mode.mesh() == MeshMode.Mesh.LINKERD) {
      return LINKERD.get(port);
    }
    return ROLES.get(port);
  }

  private SidecarPorts() {}

  /** What the sidecar uses {@code port} for, or null when the port is not the sidecar's. */
  public static String role(int port) {
    return ROLES.get(port);
  }

  /** Every sidecar port, ascending. */
  public static Iterable<Integer> all() {
    return ROLES.keySet();
  }
}
