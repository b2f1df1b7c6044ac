package dev.meshaware.core;

import dev.meshaware.core.startup.GateResult;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * What the meshaware agent did in this JVM, feature by feature, for the Spring Boot starter to
 * read. The agent defines core's classes in the bootstrap class loader, so a starter in the same
 * JVM sees this very class (and the agent's record) instead of its own copy.
 *
 * <p>The agent records a feature only once it is in place. A feature it did not record, because its
 * settings left it off or because its start failed before or while installing it, is the starter's
 * to do by the starter's own settings: nothing is done twice, and nothing is left undone because
 * the agent is merely present.
 *
 * <p>{@link #attached()}, {@link #gate()} and {@link #forwardsHeaders()} exist in every version; a
 * starter of another version may call them.
 */
public final class AgentStatus {
  /** The work the agent can take off a starter's hands. */
  public enum Feature {
    /** The startup gate ran before {@code main}. */
    STARTUP_GATE("the startup gate"),
    /** Header forwarding is installed for the servers, clients and executors of the JVM. */
    HEADER_FORWARDING("header forwarding"),
    /** Every server socket's bind is checked. */
    BIND_CHECK("the listen-address check"),
    /** SIGTERM is taken: the shutdown delay and drain run before any shutdown hook. */
    SHUTDOWN("the shutdown delay"),
    /** The HTTP clients of the JVM report mesh failures. */
    DIAGNOSTICS("failure diagnostics");

    private final String description;

    Feature(String description) {
      this.description = description;
    }

    /** For a line to a person, e.g. {@code the listen-address check}. */
    public String description() {
      return description;
    }
  }

  private static volatile boolean attached;
  private static volatile GateResult gate;
  private static volatile Set<Feature> installed = Collections.emptySet();
  private static volatile String failure;

  private AgentStatus() {}

  /** Called by the agent first thing: it runs in this JVM, whatever it then manages to do. */
  public static void started() {
    attached = true;
  }

  /** Called by the agent when its startup gate has run, with how it ended. */
  public static void gateRan(GateResult result) {
    gate = result;
    record(Feature.STARTUP_GATE);
  }

  /** Called by the agent once {@code feature} is in place. */
  public static synchronized void record(Feature feature) {
    Set<Feature> features = EnumSet.of(feature);
    features.addAll(installed);
    installed = Collections.unmodifiableSet(features);
  }

  /** Called by the agent when part of its start failed; the first reason is kept. */
  public static synchronized void failed(String reason) {
    if (failure == null) {
      failure = reason;
    }
  }

  /** True when the meshaware agent runs in this JVM (which says nothing of what it installed). */
  public static boolean attached() {
    return attached;
  }

  /** True when the agent has {@code feature} in place: the starter must not do it too. */
  public static boolean handles(Feature feature) {
    return installed.contains(feature);
  }

  /** The features the agent has in place. */
  public static Set<Feature> features() {
    return installed;
  }

  /** Why the agent's start failed (in part), or null when it went through. */
  public static String failure() {
    return failure;
  }

  /** How the agent's startup gate ended, or null when it ran none. */
  public static GateResult gate() {
    return gate;
  }

  /** True when the agent installed header forwarding (its instrumentation covers the app). */
  public static boolean forwardsHeaders() {
    return handles(Feature.HEADER_FORWARDING);
  }

  /** Forgets everything, so that a test can stand for another agent (never needed otherwise). */
  public static synchronized void forget() {
    attached = false;
    gate = null;
    installed = Collections.emptySet();
    failure = null;
  }
}
