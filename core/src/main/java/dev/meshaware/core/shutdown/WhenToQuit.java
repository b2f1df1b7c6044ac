package dev.meshaware.core.shutdown;

/**
 * When meshaware tells the proxy to quit as the JVM ends ({@code meshaware.shutdown.quit-proxy}).
 */
public enum WhenToQuit {
  /**
   * Only when the JVM ends on its own with status 0 and no SIGTERM arrived: a finished Job, whose
   * pod would otherwise never complete because the proxy keeps running.
   */
  AUTO,
  /** Whenever the JVM ends, however it ends. */
  ALWAYS,
  /** Never. */
  NEVER
}
