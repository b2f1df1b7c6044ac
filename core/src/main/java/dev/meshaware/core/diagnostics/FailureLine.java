package dev.meshaware.core.diagnostics;

import java.util.concurrent.TimeUnit;

/**
 * Writes the one line an operator reads for a mesh failure: cause, origin, the call (method, URL
 * without query, status), the evidence, the request's x-request-id to find the same request in the
 * istio-proxy access log, and the hint. For example:
 *
 * <pre>
 * mesh failure UH (no healthy upstream) from this pod's sidecar: GET http://reviews:9080/r/1
 * -&gt; 503 (Envoy's body "no healthy upstream"), x-request-id=6a1e...; hint: likely no ready ...
 * </pre>
 */
final class FailureLine {
  private FailureLine() {}

  static String format(MeshFailure failure, RepeatLimiter.Released released) {
    Diagnosis diagnosis = failure.diagnosis();
    StringBuilder line = new StringBuilder(512);
    line.append("mesh failure ")
        .append(diagnosis.cause().code())
        .append(" (")
        .append(diagnosis.cause().summary())
        .append(") from ")
        .append(diagnosis.origin().description())
        .append(": ")
        .append(failure.method().isEmpty() ? "?" : Printable.of(failure.method(), 20))
        .append(' ')
        .append(failure.url().isEmpty() ? "?" : failure.url())
        .append(" -> ");
    if (failure.status() == OutboundExchange.NO_STATUS) {
      line.append("no HTTP answer");
    } else {
      line.append(failure.status());
    }
    if (!diagnosis.evidence().isEmpty()) {
      line.append(" (").append(diagnosis.evidence()).append(')');
    }
    line.append(", x-request-id=")
        .append(failure.requestId() == null ? "(none)" : Printable.of(failure.requestId(), 200))
        .append("; hint: ")
        .append(diagnosis.hint());
    if (released.suppressed() > 0) {
      line.append(" [")
          .append(released.suppressed())
          .append(released.suppressed() == 1 ? " more failure" : " more failures")
          .append(" like this in the previous ")
          .append(Math.max(1, TimeUnit.NANOSECONDS.toSeconds(released.sinceNanos())))
          .append(" s not logged]");
    }
    return line.toString();
  }
}
