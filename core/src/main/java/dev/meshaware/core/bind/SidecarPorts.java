package dev.meshaware.core.bind;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ports the Istio sidecar owns in the pod's network namespace (istio.io, "Application
 * requirements"), with what each is for. The application shares that namespace, so it must use none
 * of them.
 */
public final class SidecarPorts {
  private static final Map<Integer, String> ROLES;

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
