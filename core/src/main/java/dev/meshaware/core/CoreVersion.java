package dev.meshaware.core;

/**
 * The version of this copy of core, so that a copy of another version can be told apart. The agent
 * defines its own core in the bootstrap class loader, which every class loader asks first: a Spring
 * Boot starter in the same JVM then runs on the agent's core, not on the one it was built with, and
 * a starter of another version would call methods the agent's core lacks. The starter compares
 * {@link #VERSION} as compiled into it (a constant: the compiler copies its value into the
 * starter's own class) with the field of the class actually loaded.
 *
 * <p>Kept equal to the project version by a test; never removed or renamed, so that every version
 * can read every other's.
 */
public final class CoreVersion {
  /** The project version this core was built as. */
  public static final String VERSION = "0.1.0-SNAPSHOT";

  private CoreVersion() {}
}
