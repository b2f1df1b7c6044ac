package dev.meshaware.agent;

import dev.meshaware.agent.instrument.ActiveInstrumentations;
import dev.meshaware.agent.instrument.Library;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.agent.library.LibrarySelection;
import dev.meshaware.core.diagnostics.ReportSection;
import dev.meshaware.core.diagnostics.StartupReport;
import dev.meshaware.core.log.AdviceFailures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The startup report's section on instrumentation: which libraries are instrumented and for what
 * (inbound, outbound, thread hops, failure diagnostics), which wait for the application to load
 * them, which are switched off, which have a shape the advice does not know, and how often an
 * advice failed inside the application.
 */
final class InstrumentationReportSection implements ReportSection {
  static final String INBOUND = "inbound";
  static final String OUTBOUND = "outbound";
  static final String THREAD_HOPS = "thread hops";
  static final String DIAGNOSTICS = "failure diagnostics";

  private final LibrarySelection libraries;
  private final Map<String, List<TypeInstrumentation>> byKind;
  private final Map<String, String> switchedOff;

  InstrumentationReportSection(
      LibrarySelection libraries,
      Map<String, List<TypeInstrumentation>> byKind,
      Map<String, String> switchedOff) {
    this.libraries = libraries;
    this.byKind = byKind;
    this.switchedOff = switchedOff;
  }

  @Override
  public String title() {
    return "instrumentation";
  }

  @Override
  public int order() {
    return StartupReport.ORDER_INSTRUMENTATION;
  }

  @Override
  public Map<String, String> facts() {
    List<String> active = new ArrayList<>();
    List<String> waiting = new ArrayList<>();
    List<String> off = new ArrayList<>();
    List<String> mismatched = new ArrayList<>();
    for (Library library : libraries.libraries()) {
      if (!libraries.isEnabled(library)) {
        off.add(library.name());
        continue;
      }
      Set<String> kinds = new LinkedHashSet<>();
      for (Map.Entry<String, List<TypeInstrumentation>> kind : byKind.entrySet()) {
        for (TypeInstrumentation each : kind.getValue()) {
          if (partOf(library, each) && ActiveInstrumentations.isActive(each.name())) {
            kinds.add(kind.getKey());
          }
        }
      }
      String skipped = skipped(library);
      if (!kinds.isEmpty()) {
        active.add(library.name() + " (" + String.join(", ", kinds) + ")");
        String missing = missingKinds(library, kinds);
        if (missing != null) {
          mismatched.add(library.name() + " (" + missing + ")");
        }
      } else if (skipped != null) {
        mismatched.add(library.name() + " (" + skipped + ")");
      } else {
        waiting.add(library.name());
      }
    }
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("active", active.isEmpty() ? "none yet" : String.join(", ", active));
    if (!waiting.isEmpty()) {
      facts.put("not loaded", String.join(", ", waiting));
    }
    if (!mismatched.isEmpty()) {
      facts.put(
          "left alone", String.join(", ", mismatched) + ": a version meshaware does not know");
    }
    if (!off.isEmpty()) {
      facts.put(
          "switched off",
          String.join(", ", off) + " (" + LibrarySelection.KEY_PREFIX + "<library>.enabled=false)");
    }
    for (Map.Entry<String, List<TypeInstrumentation>> kind : byKind.entrySet()) {
      if (!isLibraryKind(kind.getKey())) {
        boolean on =
            kind.getValue().stream().anyMatch(i -> ActiveInstrumentations.isActive(i.name()));
        facts.put(kind.getKey(), on ? "active" : "waiting for its classes to load");
      }
    }
    facts.putAll(switchedOff);
    facts.put("advice failures", AdviceFailures.summary());
    return facts;
  }

  /**
   * The library's kinds that applied nowhere while others did, each with why ({@code inbound: no
   * known class in this version}); null when none is known to be missing.
   */
  private String missingKinds(Library library, Set<String> applied) {
    List<ClassLoader> loaders = loadersOf(library);
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, List<TypeInstrumentation>> kind : byKind.entrySet()) {
      if (!isLibraryKind(kind.getKey())) {
        continue;
      }
      if (applied.contains(kind.getKey())) {
        // The kind applied through another instrumentation; one left alone still leaves a gap
        // (Netty 4.1 before 4.1.82: no encoder write, so its clients forward nothing).
        for (TypeInstrumentation each : kind.getValue()) {
          String skipped = ActiveInstrumentations.skipped(each.name());
          if (skipped != null
              && partOf(library, each)
              && !ActiveInstrumentations.isActive(each.name())) {
            String gap = each.name() + ": " + skipped;
            if (!missing.contains(gap)) {
              missing.add(gap);
            }
          }
        }
        continue;
      }
      List<TypeInstrumentation> own = new ArrayList<>();
      for (TypeInstrumentation each : kind.getValue()) {
        if (partOf(library, each)) {
          own.add(each);
        }
      }
      String why = MissingTargets.why(own, loaders);
      if (why != null) {
        missing.add(kind.getKey() + ": " + why);
      }
    }
    return missing.isEmpty() ? null : String.join("; ", missing);
  }

  /** Where the library's applied instrumentations found it, and the application's class path. */
  private static List<ClassLoader> loadersOf(Library library) {
    List<ClassLoader> loaders = new ArrayList<>();
    for (List<TypeInstrumentation> part : parts(library)) {
      for (TypeInstrumentation each : part) {
        ClassLoader loader = ActiveInstrumentations.loaderOf(each.name());
        if (loader != null && !loaders.contains(loader)) {
          loaders.add(loader);
        }
      }
    }
    ClassLoader system = ClassLoader.getSystemClassLoader();
    if (!loaders.contains(system)) {
      loaders.add(system);
    }
    return loaders;
  }

  private static boolean isLibraryKind(String kind) {
    return kind.equals(INBOUND)
        || kind.equals(OUTBOUND)
        || kind.equals(THREAD_HOPS)
        || kind.equals(DIAGNOSTICS);
  }

  /** By name: a library makes new instrumentation objects each time it is asked. */
  private static boolean partOf(Library library, TypeInstrumentation instrumentation) {
    for (List<TypeInstrumentation> part : parts(library)) {
      for (TypeInstrumentation each : part) {
        if (each.name().equals(instrumentation.name())) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<List<TypeInstrumentation>> parts(Library library) {
    return List.of(
        library.inbound(), library.outbound(), library.threadHops(), library.diagnostics());
  }

  /** Why the library's instrumentation left a class alone, when none of it applied. */
  private static String skipped(Library library) {
    for (List<TypeInstrumentation> part : parts(library)) {
      for (TypeInstrumentation each : part) {
        String why = ActiveInstrumentations.skipped(each.name());
        if (why != null) {
          return why;
        }
      }
    }
    return null;
  }
}
