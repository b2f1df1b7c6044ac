package dev.meshaware.spring;

import dev.meshaware.core.CoreVersion;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.logging.LogFactory;

/**
 * Whether the meshaware core this starter runs on is the one it was built with. The meshaware agent
 * defines its own core in the bootstrap class loader, which every class loader asks first: beside
 * an agent of another version the starter would run on that core, call methods it lacks ({@code
 * NoSuchMethodError}), and load the classes it lacks from its own copy, which cannot reach the
 * agent's package-private members ({@code IllegalAccessError}). On a mismatch the starter says so
 * in one line and switches itself off entirely, leaving the work to the agent; no meshaware error
 * reaches the application.
 *
 * <p>Reads core only by reflection, and logs through Spring's logging rather than core's: nothing
 * here may depend on the core it is checking.
 */
public final class CoreCompatibility {
  /** The core version this starter was compiled against: the compiler copies the constant here. */
  static final String BUILT_WITH = CoreVersion.VERSION;

  private static final String CORE = "dev.meshaware.core.";
  private static final AtomicBoolean TOLD = new AtomicBoolean();
  private static volatile String problem;
  private static volatile boolean checked;

  private CoreCompatibility() {}

  /**
   * True when the core in use is not this starter's own version: the starter must do nothing. The
   * first call that finds it says so, once per JVM.
   */
  public static boolean starterMustStayOff() {
    if (!checked) {
      problem = problem(CoreCompatibility.class.getClassLoader(), BUILT_WITH);
      checked = true;
    }
    String found = problem;
    if (found != null && TOLD.compareAndSet(false, true)) {
      LogFactory.getLog("dev.meshaware").warn("[meshaware] WARNING " + found);
    }
    return found != null;
  }

  /** The line to say when the core {@code loader} finds is not {@code builtWith}, else null. */
  static String problem(ClassLoader loader, String builtWith) {
    try {
      Class<?> anchor = Class.forName(CORE + "log.MeshLog", false, loader);
      Class<?> marker = markerOrNull(loader);
      // A marker from another loader than the rest of core: the core in use predates markers.
      String running =
          marker != null && marker.getClassLoader() == anchor.getClassLoader()
              ? String.valueOf(marker.getField("VERSION").get(null))
              : null;
      return describe(anchor.getClassLoader() == null, running, builtWith);
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return "cannot tell which meshaware core this JVM runs ("
          + e
          + "); the Spring Boot starter "
          + builtWith
          + " switches itself off. Use the same meshaware version for the agent, the starter and"
          + " meshaware-core";
    }
  }

  /**
   * The line for a core of version {@code running} (null: older than version markers), from the
   * agent ({@code inBootLoader}) or the class path, beside a starter built with {@code builtWith};
   * null when they match.
   */
  static String describe(boolean inBootLoader, String running, String builtWith) {
    if (builtWith.equals(running)) {
      return null;
    }
    String version = running != null ? running : "older than 0.1 (no version marker)";
    if (inBootLoader) {
      return "the meshaware agent in this JVM is version "
          + version
          + " and this Spring Boot starter "
          + builtWith
          + ": the agent's core classes take the place of the starter's, so the starter switches"
          + " itself off and leaves the work to the agent. Use the same meshaware version for the"
          + " agent and the starter";
    }
    return "meshaware-core "
        + version
        + " on the class path does not match this Spring Boot starter "
        + builtWith
        + ", so the starter switches itself off. Use meshaware-core "
        + builtWith
        + ", the version the starter depends on";
  }

  private static Class<?> markerOrNull(ClassLoader loader) {
    try {
      return Class.forName(CORE + "CoreVersion", false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }
}
