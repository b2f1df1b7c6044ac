package dev.meshaware.core.diagnostics;

import java.util.Objects;

/** The classifier's answer for one outbound exchange: cause, origin, hint and the evidence. */
public final class Diagnosis {
  /** The answer for everything the mesh did not produce; shared, so it costs no allocation. */
  public static final Diagnosis NOT_FROM_MESH =
      new Diagnosis(MeshCause.NOT_FROM_MESH, FailureOrigin.NOT_FROM_MESH, "", "");

  private final MeshCause cause;
  private final FailureOrigin origin;
  private final String hint;
  private final String evidence;

  Diagnosis(MeshCause cause, FailureOrigin origin, String hint, String evidence) {
    this.cause = Objects.requireNonNull(cause, "cause");
    this.origin = Objects.requireNonNull(origin, "origin");
    this.hint = hint;
    this.evidence = evidence;
  }

  static Diagnosis of(MeshCause cause, FailureOrigin origin, String evidence) {
    return new Diagnosis(cause, origin, cause.hint(origin), evidence);
  }

  /** True unless the destination itself (or something outside the mesh) produced the answer. */
  public boolean isMeshFailure() {
    return cause != MeshCause.NOT_FROM_MESH;
  }

  /** Why the call failed; {@link MeshCause#NOT_FROM_MESH} when the mesh did not fail it. */
  public MeshCause cause() {
    return cause;
  }

  /** Which hop answered. */
  public FailureOrigin origin() {
    return origin;
  }

  /** What likely happened and which Istio resource to check. */
  public String hint() {
    return hint;
  }

  /**
   * What the decision rests on, for the operator: Envoy's body or header, or the exception. Never
   * null; empty for {@link #NOT_FROM_MESH}.
   */
  public String evidence() {
    return evidence;
  }

  /** This diagnosis with another hint (a more specific one the evidence allows). */
  Diagnosis withHint(String newHint) {
    return new Diagnosis(cause, origin, newHint, evidence);
  }

  @Override
  public String toString() {
    return cause.code()
        + " from "
        + origin.tag()
        + (evidence.isEmpty() ? "" : " (" + evidence + ")");
  }
}
