package dev.meshaware.core.bind;

/** What a server socket's address and port mean beside a sidecar. */
public enum BindVerdict {
  /** All addresses ({@code 0.0.0.0}, {@code ::}), a port chosen by the system, or allow-listed. */
  OK(false),
  /** Loopback only: unreachable through the sidecar since Istio 1.10. */
  LOOPBACK(false),
  /** The pod IP only: unreachable through the sidecar before Istio 1.10. */
  POD_ADDRESS(false),
  /** A specific address that is not the pod IP: unreachable through the sidecar in any version. */
  OTHER_ADDRESS(false),
  /** A port the sidecar owns. */
  SIDECAR_PORT(true),
  /** The process runs as the proxy's own user, whose traffic the mesh lets through uncaptured. */
  PROXY_USER(true);

  private final boolean error;

  BindVerdict(boolean error) {
    this.error = error;
  }

  /** True for a problem the operator must hear about. */
  public boolean isProblem() {
    return this != OK;
  }

  /** True when the problem breaks the pod whatever the Istio version: an error, not a warning. */
  public boolean isError() {
    return error;
  }
}
