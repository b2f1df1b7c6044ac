package dev.meshaware.core.diagnostics;

/**
 * The exact bodies and headers Envoy's router and filters put on the replies it makes itself (envoy
 * source/common/router/router.cc, source/common/http/utility.cc, the RBAC and local rate limit
 * filters). Matching is by plain string comparison: these texts are fixed in Envoy's code.
 */
final class EnvoyReplies {
  static final String NO_HEALTHY_UPSTREAM = "no healthy upstream";
  static final String UPSTREAM_TIMEOUT = "upstream request timeout";
  static final String MAINTENANCE_MODE = "maintenance mode";
  static final String RBAC_DENIED = "RBAC: access denied";
  static final String LOCAL_RATE_LIMITED = "local_rate_limited";

  /** Start of every "reset before headers" reply; older Envoy versions stop after "headers". */
  static final String RESET_PREFIX = "upstream connect error or disconnect/reset before headers";

  /** Present when the router retried (Istio retries twice by default). */
  static final String RETRIED = "retried and the latest ";

  static final String RESET_REASON = "reset reason: ";
  static final String TRANSPORT_FAILURE = ", transport failure reason: ";

  static final String UPSTREAM_SERVICE_TIME = "x-envoy-upstream-service-time";
  static final String OVERLOADED = "x-envoy-overloaded";
  static final String RATE_LIMITED = "x-envoy-ratelimited";

  private EnvoyReplies() {}

  /**
   * The cause a reset reason (Envoy's resetReasonToString) stands for, as the router maps it to a
   * response flag; null for a reason this table does not know.
   */
  static MeshCause causeOfResetReason(String reason) {
    switch (reason) {
      case "connection failure": // before Envoy split it into local and remote
      case "local connection failure":
      case "remote connection failure":
      case "connection timeout":
        return MeshCause.UF;
      case "connection termination":
        return MeshCause.UC;
      case "remote reset":
      case "remote refused stream reset":
      case "remote error with CONNECT request":
        return MeshCause.UR;
      case "local reset":
      case "local refused stream reset":
      case "http1 premature upstream half close":
        return MeshCause.LR;
      case "overflow":
        return MeshCause.UO;
      case "protocol error":
        return MeshCause.UPE;
      default:
        return null;
    }
  }

  /**
   * The reset reason in a "reset before headers" body, or "" when the body names none (old Envoy).
   */
  static String resetReason(String body) {
    int start = body.indexOf(RESET_REASON);
    if (start < 0) {
      return "";
    }
    start += RESET_REASON.length();
    int end = body.indexOf(',', start);
    return (end < 0 ? body.substring(start) : body.substring(start, end)).trim();
  }

  /** The transport failure reason in a "reset before headers" body, or "". */
  static String transportFailureReason(String body) {
    int start = body.indexOf(TRANSPORT_FAILURE);
    return start < 0 ? "" : body.substring(start + TRANSPORT_FAILURE.length()).trim();
  }

  /**
   * True for the server header Envoy puts on every reply it sends: {@code envoy} on outbound
   * listeners, {@code istio-envoy} on inbound ones. Necessary, not sufficient: Envoy also puts it
   * on the answers it forwards.
   */
  static boolean isEnvoyServer(String server) {
    return server != null
        && (server.equalsIgnoreCase("envoy") || server.equalsIgnoreCase("istio-envoy"));
  }
}
