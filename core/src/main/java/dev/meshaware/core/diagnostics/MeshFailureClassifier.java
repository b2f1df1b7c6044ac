package dev.meshaware.core.diagnostics;

/**
 * Tells an answer a sidecar made from the destination's own answer, by the evidence Envoy leaves:
 * its fixed reply bodies, its headers, and {@code x-envoy-upstream-service-time}, which Envoy sets
 * only when an upstream sent headers. The rule that matters most: an application's own 503 or 404
 * (any body that is not Envoy's, upstream time present) is never blamed on the mesh. Weak evidence
 * (an empty body, an unread body) also needs Envoy's server header and no upstream time; an unread
 * plain-text body of exactly the length of one of Envoy's fixed replies is taken for that reply.
 *
 * <p>Plain string comparisons only: no regular expression, nothing that grows with the body.
 */
public final class MeshFailureClassifier {
  private MeshFailureClassifier() {}

  /**
   * True for a status a sidecar may answer with (403, 404, 429, 502, 503, 504). Every other status
   * is the destination's, so callers skip everything else for it.
   */
  public static boolean mayComeFromSidecar(int status) {
    switch (status) {
      case 403:
      case 404:
      case 429:
      case 502:
      case 503:
      case 504:
        return true;
      default:
        return false;
    }
  }

  /** Classifies what {@code exchange} recorded: its response, or the exception that ended it. */
  public static Diagnosis classify(OutboundExchange exchange) {
    if (exchange.failure() != null && exchange.status() == OutboundExchange.NO_STATUS) {
      return NoAnswerFailures.classify(exchange.failure());
    }
    return classifyResponse(exchange);
  }

  private static Diagnosis classifyResponse(OutboundExchange exchange) {
    int status = exchange.status();
    if (!mayComeFromSidecar(status)) {
      return Diagnosis.NOT_FROM_MESH;
    }
    FailureOrigin origin =
        exchange.upstreamServiceTime() == null
            ? FailureOrigin.LOCAL_SIDECAR
            : FailureOrigin.REMOTE_SIDECAR_OR_GATEWAY;
    // Envoy's body says the most; its overload and rate limit headers come next.
    String body = exchange.body();
    if (body != null && !body.isEmpty()) {
      Diagnosis fromBody = classifyBody(status, body.trim(), origin);
      if (fromBody != null) {
        return fromBody;
      }
    }
    if (status == 503 && "true".equalsIgnoreCase(trim(exchange.overloaded()))) {
      return Diagnosis.of(MeshCause.UO, origin, EnvoyReplies.OVERLOADED + ": true");
    }
    if (status == 429 && exchange.rateLimited() != null) {
      return Diagnosis.of(MeshCause.RL, origin, EnvoyReplies.RATE_LIMITED + " header");
    }
    if (origin != FailureOrigin.LOCAL_SIDECAR || !EnvoyReplies.isEnvoyServer(exchange.server())) {
      return Diagnosis.NOT_FROM_MESH;
    }
    // Envoy answered by itself, and the body said nothing this table knows.
    if (body != null && body.isEmpty()) {
      if (status == 404) {
        return Diagnosis.of(MeshCause.NR, origin, "empty 404 from the sidecar");
      }
      if (status == 503) {
        return Diagnosis.of(MeshCause.NC, origin, "empty 503 from the sidecar");
      }
    }
    if (body == null && isPlainText(exchange.contentType())) {
      Diagnosis byLength = UnreadReplies.classify(status, exchange.contentLength(), origin);
      if (byLength != null) {
        return byLength;
      }
    }
    if (body == null && status >= 502) {
      return status == 504
          ? Diagnosis.of(MeshCause.UT, origin, "504 from the sidecar, body not read")
          : Diagnosis.of(
              MeshCause.SIDECAR_REPLY, origin, status + " from the sidecar, body not read");
    }
    return Diagnosis.NOT_FROM_MESH;
  }

  /** The cause Envoy's own reply body names, or null when the body is not one of Envoy's. */
  private static Diagnosis classifyBody(int status, String body, FailureOrigin origin) {
    switch (status) {
      case 502:
      case 503:
        if (body.startsWith(EnvoyReplies.RESET_PREFIX)) {
          return classifyReset(body, origin);
        }
        if (status == 503 && body.equals(EnvoyReplies.NO_HEALTHY_UPSTREAM)) {
          return Diagnosis.of(MeshCause.UH, origin, quoted(body));
        }
        if (status == 503 && body.equals(EnvoyReplies.MAINTENANCE_MODE)) {
          return Diagnosis.of(MeshCause.UO, origin, quoted(body));
        }
        return null;
      case 504:
        return body.equals(EnvoyReplies.UPSTREAM_TIMEOUT)
            ? Diagnosis.of(MeshCause.UT, origin, quoted(body))
            : null;
      case 403:
        return body.startsWith(EnvoyReplies.RBAC_DENIED)
            ? Diagnosis.of(MeshCause.RBAC, origin, quoted(body))
            : null;
      case 429:
        return body.equals(EnvoyReplies.LOCAL_RATE_LIMITED)
            ? Diagnosis.of(MeshCause.RL, origin, quoted(body))
            : null;
      default:
        return null;
    }
  }

  private static Diagnosis classifyReset(String body, FailureOrigin origin) {
    String reason = EnvoyReplies.resetReason(body);
    MeshCause cause = EnvoyReplies.causeOfResetReason(reason);
    if (cause == null) {
      return Diagnosis.of(MeshCause.SIDECAR_REPLY, origin, quoted(body));
    }
    Diagnosis diagnosis = Diagnosis.of(cause, origin, quoted(body));
    String transport = EnvoyReplies.transportFailureReason(body);
    if (cause == MeshCause.UF && mentionsTls(transport)) {
      return diagnosis.withHint(Hints.TLS_HANDSHAKE);
    }
    return diagnosis;
  }

  private static boolean mentionsTls(String transportFailureReason) {
    return transportFailureReason.contains("TLS") || transportFailureReason.contains("SSL");
  }

  private static boolean isPlainText(String contentType) {
    return contentType != null && contentType.startsWith("text/plain");
  }

  private static String quoted(String body) {
    return "Envoy's body \"" + Printable.of(body, 200) + "\"";
  }

  private static String trim(String value) {
    return value == null ? null : value.trim();
  }
}
