package dev.meshaware.core.startup;

/**
 * What happens when the sidecar is not ready by the deadline ({@code
 * meshaware.startup.on-timeout}).
 */
public enum OnTimeout {
  /** Warn and start the application anyway (fail-open). */
  CONTINUE,
  /** Print why and end the JVM with {@link ReadinessGate#EXIT_STATUS} (fail-closed). */
  EXIT
}
