package dev.meshaware.spring.startup;

import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.startup.GateResult;
import dev.meshaware.core.startup.MeshDetection;
import dev.meshaware.core.startup.SidecarEnvironment;
import java.util.function.Supplier;

/**
 * How the startup gate went in this JVM and who ran it: the starter, or the meshaware agent before
 * {@code main}. The gate runs once per JVM, however many {@code SpringApplication}s start in it
 * (parent and child contexts, a restart): the sidecar does not become unready between them, and a
 * pod without a sidecar must not pay the no-sidecar wait twice.
 */
public final class StartupRecord {
  /** Who ran the gate. */
  public enum RanBy {
    /** This starter, before the application context was created. */
    STARTER,
    /** The meshaware agent, before {@code main}. */
    AGENT
  }

  /** The bean the record is handed to the application context as. */
  public static final String BEAN_NAME = "meshawareStartupRecord";

  private static StartupRecord first;

  private final RanBy ranBy;
  private final GateResult gate;

  StartupRecord(RanBy ranBy, GateResult gate) {
    this.ranBy = ranBy;
    this.gate = gate;
  }

  /** The JVM's record: made by {@code gate} the first time, the same record every later time. */
  static synchronized StartupRecord once(Supplier<StartupRecord> gate) {
    if (first == null) {
      first = gate.get();
    }
    return first;
  }

  /** Forgets the JVM's record, so that a test can run the gate again in the same JVM. */
  static synchronized void forget() {
    first = null;
  }

  public RanBy ranBy() {
    return ranBy;
  }

  /**
   * Whether a sidecar is or could be beside this process, by core's rule, with what the gate found
   * when it ran ({@code record} null: the context was not started by {@code SpringApplication}).
   */
  public static boolean mayHaveSidecar(MeshawareSettings settings, StartupRecord record) {
    return SidecarEnvironment.mayHaveSidecar(settings, record != null ? record.gate() : null);
  }

  /**
   * The mesh mode by core's rule, with what the gate found when it ran ({@code record} null: the
   * context was not started by {@code SpringApplication}).
   */
  public static MeshDetection mesh(MeshawareSettings settings, StartupRecord record) {
    return SidecarEnvironment.mesh(settings, record != null ? record.gate() : null);
  }

  /** How the gate ended: by the starter, or by the agent before {@code main}. */
  public GateResult gate() {
    return gate;
  }
}
