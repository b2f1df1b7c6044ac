package dev.meshaware.core.startup;

/** Which mesh the pod is in, as the user says it ({@code meshaware.mesh}). */
public enum MeshChoice {
  /** Find out from the pod: its annotations, its listeners, its traffic redirection. */
  AUTO,
  /** An Istio mesh; sidecar, native sidecar or ambient still comes from the pod annotations. */
  ISTIO,
  /** A Linkerd mesh; classic or native sidecar still comes from the pod annotations. */
  LINKERD,
  /** No mesh: no wait, no listen-address check, no shutdown delay, no proxy quit. */
  NONE
}
