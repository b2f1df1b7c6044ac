package dev.meshaware.core.diagnostics;

/**
 * Envoy's fixed replies told apart by their length, for a body meshaware did not read: reading it
 * would have meant waiting for it or taking it from the application, and diagnostics never do
 * either. Only trusted for a reply of this pod's sidecar ({@code server: envoy}, no upstream time,
 * {@code text/plain}), where no application wrote the body; the evidence says it was not read.
 */
final class UnreadReplies {
  private static final Known[] KNOWN = {
    new Known(503, EnvoyReplies.NO_HEALTHY_UPSTREAM, MeshCause.UH),
    new Known(503, EnvoyReplies.MAINTENANCE_MODE, MeshCause.UO),
    new Known(504, EnvoyReplies.UPSTREAM_TIMEOUT, MeshCause.UT),
    new Known(403, EnvoyReplies.RBAC_DENIED, MeshCause.RBAC),
    new Known(429, EnvoyReplies.LOCAL_RATE_LIMITED, MeshCause.RL),
  };

  private UnreadReplies() {}

  /**
   * The diagnosis for an unread {@code text/plain} body of {@code length} bytes answered with
   * {@code status} by this pod's sidecar, or null when no fixed reply has that length.
   */
  static Diagnosis classify(int status, long length, FailureOrigin origin) {
    for (Known known : KNOWN) {
      if (known.status == status && known.text.length() == length) {
        return Diagnosis.of(
            known.cause,
            origin,
            status
                + " from the sidecar, body not read: text/plain of the length of Envoy's \""
                + known.text
                + "\"");
      }
    }
    return null;
  }

  private static final class Known {
    final int status;
    final String text;
    final MeshCause cause;

    Known(int status, String text, MeshCause cause) {
      this.status = status;
      this.text = text;
      this.cause = cause;
    }
  }
}
