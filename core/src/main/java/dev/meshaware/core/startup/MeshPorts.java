package dev.meshaware.core.startup;

import java.util.Set;

/**
 * Reads a mesh from the ports listening in the pod's network: each mesh's proxy (or, in ambient
 * mode, the node's ztunnel) opens its own in the namespace the pod's containers share.
 */
final class MeshPorts {
  /** pilot-agent's status and health ports: a sidecar's, never ztunnel's. */
  private static final int[] ISTIO_AGENT = {15020, 15021};

  /** ztunnel's in-pod HBONE port, beside its capture ports 15001 and 15006. */
  private static final int ZTUNNEL_HBONE = 15008;

  /** linkerd2-proxy: admin, outbound, inbound. */
  private static final int[] LINKERD = {4191, 4140, 4143};

  private MeshPorts() {}

  /** The mode the listening ports show, or null when they show none. */
  static MeshDetection read(Set<Integer> listening) {
    for (int port : LINKERD) {
      if (listening.contains(port)) {
        return new MeshDetection(
            MeshMode.LINKERD_SIDECAR,
            "port " + port + " (Linkerd's proxy) listens in the pod's network");
      }
    }
    for (int port : ISTIO_AGENT) {
      if (listening.contains(port)) {
        return new MeshDetection(
            MeshMode.ISTIO_SIDECAR,
            "port " + port + " (Istio's pilot-agent) listens in the pod's network");
      }
    }
    if (listening.contains(ZTUNNEL_HBONE)) {
      return new MeshDetection(
          MeshMode.ISTIO_AMBIENT,
          "port "
              + ZTUNNEL_HBONE
              + " (ztunnel's in-pod HBONE) listens in the pod's network, and no pilot-agent port");
    }
    return null;
  }
}
