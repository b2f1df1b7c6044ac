package dev.meshaware.core.startup;

/** What one request to a sidecar URL saw (a readiness probe, the quit call). */
public final class ProbeResult {
  private final boolean ok;
  private final boolean connected;
  private final boolean resolved;
  private final String outcome;

  private ProbeResult(boolean ok, boolean connected, boolean resolved, String outcome) {
    this.ok = ok;
    this.connected = connected;
    this.resolved = resolved;
    this.outcome = outcome;
  }

  static ProbeResult ok() {
    return new ProbeResult(true, true, true, "HTTP 200");
  }

  /** Something accepted the connection (so a sidecar exists) but it is not ready. */
  static ProbeResult notReady(String outcome) {
    return new ProbeResult(false, true, true, outcome);
  }

  /** Nothing accepted the connection. */
  static ProbeResult unreachable(String outcome) {
    return new ProbeResult(false, false, true, outcome);
  }

  /** The host name gave no address in time: nothing was dialled, so nothing is known. */
  static ProbeResult unresolved(String outcome) {
    return new ProbeResult(false, false, false, outcome);
  }

  /** True when the URL answered HTTP 200: for a readiness URL, "ready". */
  public boolean isOk() {
    return ok;
  }

  /** True when a TCP connection was accepted: proof that something listens on the status port. */
  public boolean connected() {
    return connected;
  }

  /**
   * False when the URL's host name did not resolve in time, so no connection was even tried: that
   * says nothing about whether a sidecar exists.
   */
  public boolean resolved() {
    return resolved;
  }

  /** For progress lines: {@code HTTP 503}, {@code connection refused}, ... */
  public String outcome() {
    return outcome;
  }
}
