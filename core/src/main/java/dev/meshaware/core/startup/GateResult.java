package dev.meshaware.core.startup;

import java.time.Duration;

/** How the startup gate ended. */
public final class GateResult {
  /** The verdict, one per gate run. */
  public enum Verdict {
    /** meshaware or the gate is switched off. */
    SKIPPED,
    /** No sidecar can exist here, or none exists: started without waiting (or after watching). */
    NO_SIDECAR,
    /** Every readiness URL answered HTTP 200. */
    READY,
    /** The deadline passed first. */
    TIMED_OUT
  }

  private final Verdict verdict;
  private final Duration waited;
  private final boolean exitRequested;
  private final String message;
  private final MeshDetection mesh;

  GateResult(Verdict verdict, Duration waited, boolean exitRequested, String message) {
    this(verdict, waited, exitRequested, message, null);
  }

  GateResult(
      Verdict verdict, Duration waited, boolean exitRequested, String message, MeshDetection mesh) {
    this.verdict = verdict;
    this.waited = waited;
    this.exitRequested = exitRequested;
    this.message = message;
    this.mesh = mesh;
  }

  /**
   * The mesh mode the gate found and from what, or null when it did not look (switched off): the
   * other features then ask {@link SidecarEnvironment#mesh}.
   */
  public MeshDetection mesh() {
    return mesh;
  }

  public Verdict verdict() {
    return verdict;
  }

  /** How long the gate held the application. */
  public Duration waited() {
    return waited;
  }

  /** True when the sidecar never became ready and {@code on-timeout=exit} asks to fail closed. */
  public boolean exitRequested() {
    return exitRequested;
  }

  /** The verdict line as logged (without the {@code [meshaware]} prefix). */
  public String message() {
    return message;
  }

  /**
   * Ends the JVM with {@link ReadinessGate#EXIT_STATUS} when {@link #exitRequested()}; otherwise
   * returns. Only the user's explicit {@code on-timeout=exit} ever leads here.
   */
  public void enforce() {
    if (exitRequested) {
      System.exit(ReadinessGate.EXIT_STATUS);
    }
  }

  @Override
  public String toString() {
    return verdict + " after " + waited.toMillis() + " ms: " + message;
  }
}
