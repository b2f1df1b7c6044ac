package dev.meshaware.core.diagnostics;

/** How many mesh failures of one cause calls to one destination host have had so far. */
public final class FailureCount {
  private final MeshCause cause;
  private final String host;
  private final long count;

  FailureCount(MeshCause cause, String host, long count) {
    this.cause = cause;
    this.host = host;
    this.count = count;
  }

  /** The cause counted. */
  public MeshCause cause() {
    return cause;
  }

  /** The destination host, or {@link MeshFailureCounters#OTHER_HOSTS} past the host limit. */
  public String host() {
    return host;
  }

  /** How many failures so far. */
  public long count() {
    return count;
  }

  @Override
  public String toString() {
    return cause.code() + " " + host + " = " + count;
  }
}
