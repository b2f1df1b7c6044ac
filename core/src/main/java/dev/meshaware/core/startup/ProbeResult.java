package dev.meshaware.core.startup;

/** What one request to a sidecar URL saw (a readiness probe, the quit call). */
public final class ProbeResult {
  private final boolean ok;
  private final boolean connected;
  private final String outcome;

  private ProbeResult(boolean ok, boolean connected, String outcome) {
    this.ok = ok;
    this.connected = connected;
    this.outcome = outcome;
  }

  static ProbeResult ok() {
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

  /** True when the URL answered HTTP 200: for a readiness URL, "ready". */
  public boolean isOk() {
    return ok;
  }

  /** True when a TCP connection was accepted: proof that something listens on the status port. */
  public boolean connected() {
    return connected;
  }

  /** For progress lines: {@code HTTP 503}, {@code connection refused}, ... */
  public String outcome() {
    return outcome;
  }
}
