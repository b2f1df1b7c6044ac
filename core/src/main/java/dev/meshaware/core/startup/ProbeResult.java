package dev.meshaware.core.startup;

/** What one probe of a readiness URL saw. */
final class ProbeResult {
  private final boolean ready;
  private final boolean connected;
  private final String outcome;

  private ProbeResult(boolean ready, boolean connected, String outcome) {
    this.ready = ready;
    this.connected = connected;
    this.outcome = outcome;
  }

  static ProbeResult ready() {
    return new ProbeResult(true, true, "HTTP 200");
  }

  /** Something accepted the connection (so a sidecar exists) but it is not ready. */
  static ProbeResult notReady(String outcome) {
    return new ProbeResult(false, true, outcome);
  }

  /** Nothing accepted the connection. */
  static ProbeResult unreachable(String outcome) {
    return new ProbeResult(false, false, outcome);
  }

  boolean isReady() {
    return ready;
  }

  /** True when a TCP connection was accepted: proof that something listens on the status port. */
  boolean connected() {
    return connected;
  }

  /** For progress lines: {@code HTTP 503}, {@code connection refused}, ... */
  String outcome() {
    return outcome;
  }
}
