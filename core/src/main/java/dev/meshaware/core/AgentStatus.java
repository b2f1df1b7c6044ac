package dev.meshaware.core;

import dev.meshaware.core.startup.GateResult;

/**
 * What the meshaware agent did in this JVM, for the Spring Boot starter to read. The agent defines
 * core's classes in the bootstrap class loader, so a starter in the same JVM sees this very class
 * (and the agent's record) instead of its own copy: that is how it learns that the agent already
 * ran the startup gate and forwards headers, and does not do the same work twice.
 */
public final class AgentStatus {
  private static volatile boolean attached;
  private static volatile GateResult gate;
  private static volatile boolean forwardsHeaders;

  private AgentStatus() {}

  /**
   * Called once by the agent when its start is over: {@code gate} is null when the agent ran none
   * (attached to a running JVM, or start-up failed before it).
   */
  public static void record(GateResult gate, boolean forwardsHeaders) {
    AgentStatus.gate = gate;
    AgentStatus.forwardsHeaders = forwardsHeaders;
    attached = true;
  }

  /** True when the meshaware agent runs in this JVM. */
  public static boolean attached() {
    return attached;
  }

  /** How the agent's startup gate ended, or null when it ran none. */
  public static GateResult gate() {
    return gate;
  }

  /** True when the agent installed header forwarding (its instrumentation covers the app). */
  public static boolean forwardsHeaders() {
    return forwardsHeaders;
  }
}
