package dev.meshaware.agent.instrument;

import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which instrumentations have actually changed a class, for the startup report. Instrumentation is
 * lazy: one whose library the application never loads stays inactive, and so does one whose library
 * has a shape the advice does not know.
 */
public final class ActiveInstrumentations {
  /** Instrumentation names whose shape check passed, by the target type they passed for. */
  private static final Map<String, Set<String>> MATCHED = new ConcurrentHashMap<>();

  private static final Set<String> ACTIVE = ConcurrentHashMap.newKeySet();

  /** Binary names ({@code java.lang.Shutdown}) of the classes the weaver changed. */
  private static final Set<String> TYPES = ConcurrentHashMap.newKeySet();

  private ActiveInstrumentations() {}

  /**
   * A loader each instrumentation matched a class in, held weakly (a webapp's loader stays
   * collectable): where the startup report looks for the classes of its library's other
   * instrumentations. One entry per instrumentation name, so the table is bounded.
   */
  private static final Map<String, WeakReference<ClassLoader>> LOADERS = new ConcurrentHashMap<>();

  /** {@code instrumentation} is about to transform {@code typeName}, loaded by {@code loader}. */
  static void matched(String typeName, String instrumentation, ClassLoader loader) {
    Set<String> names = MATCHED.get(typeName);
    if (names == null) {
      MATCHED.putIfAbsent(typeName, ConcurrentHashMap.newKeySet());
      names = MATCHED.get(typeName);
    }
    names.add(instrumentation);
    if (loader != null) {
      WeakReference<ClassLoader> known = LOADERS.get(instrumentation);
      if (known == null || known.get() == null) {
        LOADERS.put(instrumentation, new WeakReference<>(loader));
      }
    }
  }

  /** A loader {@code instrumentation} matched a class in, or null (none, the boot loader, gone). */
  public static ClassLoader loaderOf(String instrumentation) {
    WeakReference<ClassLoader> known = LOADERS.get(instrumentation);
    return known == null ? null : known.get();
  }

  /** {@code typeName} was transformed: every instrumentation that matched it is active. */
  static void transformed(String typeName) {
    TYPES.add(typeName);
    Set<String> names = MATCHED.get(typeName);
    if (names != null) {
      ACTIVE.addAll(names);
    }
  }

  /** True when the weaver changed the class named {@code typeName} (in some loader). */
  static boolean changed(String typeName) {
    return TYPES.contains(typeName);
  }

  /** {@code name}, applied by a transformer of its own, has changed a class. */
  public static void markActive(String name) {
    ACTIVE.add(name);
  }

  /** Why each instrumentation left a class alone (the first reason seen), by name. */
  private static final Map<String, String> SKIPPED = new ConcurrentHashMap<>();

  /** {@code instrumentation} left a class alone because of {@code why}. */
  public static void skipped(String instrumentation, String why) {
    if (SKIPPED.size() < 1000) {
      SKIPPED.putIfAbsent(instrumentation, why);
    }
  }

  /** Why {@code instrumentation} left a class alone, or null when it never did. */
  public static String skipped(String instrumentation) {
    return SKIPPED.get(instrumentation);
  }

  /** True when {@code name} has transformed at least one class. */
  public static boolean isActive(String name) {
    return ACTIVE.contains(name);
  }

  /** The names of the active instrumentations. */
  public static Set<String> names() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(ACTIVE));
  }
}
