package dev.meshaware.agent.library;

import dev.meshaware.agent.instrument.Library;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.config.ConfigSource;
import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.config.Setting;
import dev.meshaware.core.log.MeshLog;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The libraries this process instruments: every one of {@link Libraries#all()} whose switch {@code
 * meshaware.instrumentation.<name>.enabled} is not {@code false}. A switch naming no library is
 * reported in one line with the names that exist.
 */
public final class LibrarySelection {
  /** Every switch key begins with this. */
  public static final String KEY_PREFIX = "meshaware.instrumentation.";

  private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  private final Map<Library, Boolean> enabled;

  private LibrarySelection(Map<Library, Boolean> enabled) {
    this.enabled = enabled;
  }

  /** The switch of the library named {@code name}. */
  public static Setting<Boolean> switchFor(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("library name '" + name + "' is not lower-case-dashed");
    }
    return Setting.flag(
        KEY_PREFIX + name + ".enabled", true, "Instrument " + name + " (false: leave it alone).");
  }

  /** Reads every library's switch from {@code settings}. */
  public static LibrarySelection from(MeshawareSettings settings, List<Library> libraries) {
    Map<Library, Boolean> enabled = new LinkedHashMap<>();
    List<String> known = new ArrayList<>();
    for (Library library : libraries) {
      Setting<Boolean> setting = switchFor(library.name());
      enabled.put(library, settings.read(setting));
      known.add(setting.key());
      known.add("env " + ConfigSource.environmentName(setting.key()));
    }
    for (String where : settings.keysStartingWith(KEY_PREFIX)) {
      if (!known.contains(where)) {
        MeshLog.warn(
            where
                + " names no instrumented library and is ignored; accepted: "
                + KEY_PREFIX
                + "<library>.enabled with <library> one of "
                + String.join(", ", names(libraries)));
      }
    }
    return new LibrarySelection(enabled);
  }

  private static List<String> names(List<Library> libraries) {
    List<String> names = new ArrayList<>();
    for (Library library : libraries) {
      names.add(library.name());
    }
    return names;
  }

  /** True unless the library's switch is {@code false}. */
  public boolean isEnabled(Library library) {
    return Boolean.TRUE.equals(enabled.get(library));
  }

  /** True unless the switch of the library named {@code name} is {@code false}. */
  public boolean isEnabled(String name) {
    for (Map.Entry<Library, Boolean> each : enabled.entrySet()) {
      if (each.getKey().name().equals(name)) {
        return each.getValue();
      }
    }
    return false;
  }

  /** Every library, switched on or off, in the report's order. */
  public List<Library> libraries() {
    return Collections.unmodifiableList(new ArrayList<>(enabled.keySet()));
  }

  // No lambdas here: this runs in premain, where the first lambda would start the JDK's lambda
  // machinery for the agent alone.
  private static final int INBOUND = 0;
  private static final int OUTBOUND = 1;
  private static final int THREAD_HOPS = 2;
  private static final int DIAGNOSTICS = 3;

  public List<TypeInstrumentation> inbound() {
    return collect(INBOUND);
  }

  public List<TypeInstrumentation> outbound() {
    return collect(OUTBOUND);
  }

  public List<TypeInstrumentation> threadHops() {
    return collect(THREAD_HOPS);
  }

  public List<TypeInstrumentation> diagnostics() {
    return collect(DIAGNOSTICS);
  }

  private List<TypeInstrumentation> collect(int part) {
    List<TypeInstrumentation> all = new ArrayList<>();
    for (Map.Entry<Library, Boolean> each : enabled.entrySet()) {
      if (!each.getValue()) {
        continue;
      }
      Library library = each.getKey();
      switch (part) {
        case INBOUND:
          all.addAll(library.inbound());
          break;
        case OUTBOUND:
          all.addAll(library.outbound());
          break;
        case THREAD_HOPS:
          all.addAll(library.threadHops());
          break;
        default:
          all.addAll(library.diagnostics());
      }
    }
    return Collections.unmodifiableList(all);
  }
}
