package dev.meshaware.core.diagnostics;

/**
 * Which hop answered. Envoy adds {@code x-envoy-upstream-service-time} only when an upstream sent
 * response headers: without it the sidecar of this pod answered by itself; with it (and an Envoy
 * body) the sidecar of the destination pod or a gateway did.
 */
public enum FailureOrigin {
  /** This pod's own sidecar answered: the call never reached another pod. */
  LOCAL_SIDECAR("local-sidecar", "this pod's sidecar"),
  /** The destination's sidecar or a gateway on the way answered. */
  REMOTE_SIDECAR_OR_GATEWAY("remote-sidecar", "the destination's sidecar or a gateway"),
  /** The destination application answered, or no mesh component was involved. */
  NOT_FROM_MESH("not-from-mesh", "the destination application");

  private final String tag;
  private final String description;

  FailureOrigin(String tag, String description) {
    this.tag = tag;
    this.description = description;
  }

  /** A short token for metrics tags and grep, e.g. {@code local-sidecar}. */
  public String tag() {
    return tag;
  }

  /** Words for a log line, e.g. {@code this pod's sidecar}. */
  public String description() {
    return description;
  }
}
