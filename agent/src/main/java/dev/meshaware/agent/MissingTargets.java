package dev.meshaware.agent;

import dev.meshaware.agent.instrument.ActiveInstrumentations;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import java.util.List;

/**
 * Why none of a library's instrumentations of one kind (its inbound, say) applied while others of
 * the library did: a shape the advice does not know, or a version that has none of the classes the
 * instrumentation knows. Without this, a library whose server moved to a new class would be
 * reported active, as if it were covered, and forward nothing.
 *
 * <p>Runs when the startup report is printed, never on the application's path; it looks up class
 * files as resources and never loads a class.
 */
final class MissingTargets {
  static final String NO_KNOWN_CLASS = "no known class in this version";

  private MissingTargets() {}

  /**
   * The reason, or null when the instrumentations may still apply (their classes exist but are not
   * loaded yet, or nothing says which version is there). {@code loaders} are where the library was
   * seen.
   */
  static String why(List<TypeInstrumentation> kind, List<ClassLoader> loaders) {
    for (TypeInstrumentation each : kind) {
      String skipped = ActiveInstrumentations.skipped(each.name());
      if (skipped != null) {
        return skipped;
      }
    }
    if (kind.isEmpty()) {
      return null;
    }
    for (TypeInstrumentation each : kind) {
      if (!knownAbsent(each, loaders)) {
        return null;
      }
    }
    return NO_KNOWN_CLASS;
  }

  /** True when a loader has the library (its marker class) but none of the targets. */
  private static boolean knownAbsent(
      TypeInstrumentation instrumentation, List<ClassLoader> loaders) {
    String marker = instrumentation.presentWith();
    if (marker == null) {
      return false;
    }
    boolean libraryFound = false;
    for (ClassLoader loader : loaders) {
      if (!has(loader, marker)) {
        continue;
      }
      libraryFound = true;
      for (String target : instrumentation.typeNames()) {
        if (has(loader, target)) {
          return false;
        }
      }
    }
    return libraryFound;
  }

  private static boolean has(ClassLoader loader, String binaryName) {
    try {
      return loader.getResource(binaryName.replace('.', '/') + ".class") != null;
    } catch (RuntimeException e) {
      return false; // a loader that cannot answer says nothing either way
    }
  }
}
