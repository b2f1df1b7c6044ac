package dev.meshaware.core.startup;

/** Which mesh mode the pod is in, and what showed it: the report and the actuator say both. */
public final class MeshDetection {
  private final MeshMode mode;
  private final String evidence;

  public MeshDetection(MeshMode mode, String evidence) {
    this.mode = mode;
    this.evidence = evidence;
  }

  public MeshMode mode() {
    return mode;
  }

  /** What the decision rests on, e.g. "pod annotation sidecar.istio.io/status lists ...". */
  public String evidence() {
    return evidence;
  }

  /** The same evidence for another mode: what a proxy's answer made of an open question. */
  MeshDetection as(MeshMode other, String moreEvidence) {
    return new MeshDetection(other, evidence + "; " + moreEvidence);
  }

  @Override
  public String toString() {
    return mode.id() + " (" + evidence + ")";
  }
}
