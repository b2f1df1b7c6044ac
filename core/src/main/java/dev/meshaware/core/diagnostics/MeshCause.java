package dev.meshaware.core.diagnostics;

/**
 * Why a sidecar, not the destination application, produced a failed outbound call. The codes are
 * Envoy's response flags where one exists, so an operator can match the line with the istio-proxy
 * access log. Each cause carries the hint printed with it: what likely happened and which Istio
 * resource to look at.
 */
public enum MeshCause {
  /** 503 {@code no healthy upstream}. */
  UH(
      "UH",
      "no healthy upstream",
      "likely no ready endpoint behind this host: no pod is ready, a DestinationRule subset's"
          + " labels match no pod, or outlier detection ejected them all; check the Service's"
          + " endpoints, the DestinationRule's subsets[].labels and trafficPolicy.outlierDetection",
      null),

  /** 503 with reset reason {@code connection failure}, {@code ... connection failure}, timeout. */
  UF(
      "UF",
      "upstream connection failure",
      "this pod's sidecar could not connect to the destination pod: likely nothing listens on the"
          + " Service's targetPort, or the pod is restarting; check the Service's targetPort and"
          + " the destination's readiness",
      "the destination's sidecar could not connect to its own application: likely the"
          + " application listens on 127.0.0.1 only or on another port; make it listen on 0.0.0.0"
          + " and check the Service's targetPort"),

  /** 503 with reset reason {@code connection termination}. */
  UC(
      "UC",
      "upstream connection termination",
      "the destination closed the connection before answering: likely an mTLS mismatch (a"
          + " DestinationRule for this host without trafficPolicy.tls mode ISTIO_MUTUAL while the"
          + " destination's PeerAuthentication is STRICT), or the destination closed an idle"
          + " keep-alive connection (set the DestinationRule's"
          + " trafficPolicy.connectionPool.http.idleTimeout below the application's)",
      "the destination application closed the connection before answering its own sidecar:"
          + " check the application's logs (crash, request too large) and its keep-alive idle"
          + " timeout"),

  /** 503 with reset reason {@code remote reset}. */
  UR(
      "UR",
      "upstream remote reset",
      "the destination reset the stream before answering: check the destination's logs (crash,"
          + " request too large) and, for HTTP/2 or gRPC, its stream limits",
      null),

  /** 503 with reset reason {@code local reset}: the sidecar reset the stream itself. */
  LR(
      "LR",
      "local reset",
      "the sidecar reset the stream itself: look up this x-request-id in the istio-proxy access"
          + " log (stream idle timeout, overload)",
      null),

  /** 503 with reset reason {@code overflow}, {@code maintenance mode} or x-envoy-overloaded. */
  UO(
      "UO",
      "upstream overflow (circuit breaker)",
      "the circuit breaker is open: the DestinationRule's trafficPolicy.connectionPool limits"
          + " (maxConnections, http1MaxPendingRequests, http2MaxRequests) were reached, or the"
          + " destination is in maintenance mode; raise the limits or slow the caller down",
      null),

  /** 504 {@code upstream request timeout}. */
  UT(
      "UT",
      "upstream request timeout",
      "the route's timeout expired before the destination answered: check the VirtualService's"
          + " http[].timeout and http[].retries.perTryTimeout against the destination's latency",
      null),

  /** 404, empty body, from the local sidecar. */
  NR(
      "NR",
      "no route",
      "no route matched this host and path: check the VirtualService's hosts and http[].match;"
          + " a VirtualService that lists gateways without 'mesh' does not apply to calls from"
          + " pods; a host outside the mesh needs a ServiceEntry",
      null),

  /** 503, empty body, from the local sidecar. */
  NC(
      "NC",
      "no cluster (route to an unknown subset)",
      "the route points at a subset that no DestinationRule defines (yet), typically while rules"
          + " are being applied: check the VirtualService's route[].destination.subset against the"
          + " DestinationRule's subsets; apply the DestinationRule first and remove it last",
      null),

  /** 502 with reset reason {@code protocol error}. */
  UPE(
      "UPE",
      "upstream protocol error",
      "the sidecar could not parse the destination's answer: the port's protocol is likely"
          + " declared wrong; check the Service port's name or appProtocol (http, http2, grpc,"
          + " tcp) against what the application serves",
      null),

  /** 403 {@code RBAC: access denied}. */
  RBAC(
      "RBAC",
      "RBAC: access denied",
      "an AuthorizationPolicy denied the call: check the AuthorizationPolicies of the"
          + " destination's namespace and of the root namespace for this caller's service"
          + " account, path and method",
      null),

  /** 429 {@code local_rate_limited} or {@code x-envoy-ratelimited}. */
  RL(
      "RL",
      "rate limited",
      "a rate limit rejected the call: check the local rate limit (EnvoyFilter with"
          + " envoy.filters.http.local_ratelimit) or the global rate limit service of this route",
      null),

  /** No HTTP answer at all: the connection was reset or closed after the request was sent. */
  MTLS_LIKELY(
      "mTLS-likely",
      "connection closed without an HTTP answer",
      "likely the destination's sidecar requires mTLS (PeerAuthentication STRICT) and received"
          + " plaintext: check that this pod has a sidecar (namespace label istio-injection or"
          + " pod annotation sidecar.istio.io/inject) and that no DestinationRule for this host"
          + " sets trafficPolicy.tls mode DISABLE; a keep-alive connection the server closed"
          + " while idle fails the same way",
      null),

  /**
   * A reply the sidecar made itself (Envoy's server header, no x-envoy-upstream-service-time) whose
   * body this client did not let meshaware read, or that names a reason not listed here.
   */
  SIDECAR_REPLY(
      "sidecar-reply",
      "answered by the sidecar, not by the destination",
      "the body (not read for this client) or the istio-proxy access log line for this"
          + " x-request-id names the exact flag (UH, UF, UC, UR, UO, NC...); check the destination's"
          + " endpoints and its DestinationRule",
      null),

  /** The destination's own answer, or a failure the mesh did not cause: never logged. */
  NOT_FROM_MESH("not-from-mesh", "not from the mesh", "", null);

  private final String code;
  private final String summary;
  private final String hint;
  private final String remoteHint;

  MeshCause(String code, String summary, String hint, String remoteHint) {
    this.code = code;
    this.summary = summary;
    this.hint = hint;
    this.remoteHint = remoteHint;
  }

  /** The code in log lines and metrics: Envoy's response flag where one exists, e.g. {@code UH}. */
  public String code() {
    return code;
  }

  /** A few words saying what the code means, e.g. {@code no healthy upstream}. */
  public String summary() {
    return summary;
  }

  /** What likely happened and which Istio resource to check, given where the answer came from. */
  public String hint(FailureOrigin origin) {
    return origin == FailureOrigin.REMOTE_SIDECAR_OR_GATEWAY && remoteHint != null
        ? remoteHint
        : hint;
  }

  /** The cause with {@code code} (as {@link #code()} prints it), or null. */
  public static MeshCause byCode(String code) {
    for (MeshCause cause : values()) {
      if (cause.code.equals(code)) {
        return cause;
      }
    }
    return null;
  }
}
