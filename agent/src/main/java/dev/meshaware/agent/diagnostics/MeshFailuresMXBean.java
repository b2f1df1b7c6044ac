package dev.meshaware.agent.diagnostics;

import java.util.Map;

/**
 * The agent's mesh failure counters over JMX, as {@code dev.meshaware:type=MeshFailures}: every
 * failure is counted, also those whose log line the repeat limit held back.
 */
public interface MeshFailuresMXBean {
  /** Every mesh failure since start. */
  long getTotal();

  /** Failures by cause code, e.g. {@code UH -> 12}. */
  Map<String, Long> getFailuresByCause();

  /** Failures by cause code and destination host, e.g. {@code UH reviews -> 12}. */
  Map<String, Long> getFailuresByCauseAndHost();

  /**
   * Inbound requests that are not idempotent and arrived as a sidecar's retry ({@code
   * x-envoy-attempt-count} above 1), by method, e.g. {@code POST -> 3}.
   */
  Map<String, Long> getRetriedRequests();

  /** The startup report as printed, one line per line. */
  String getStartupReport();
}
