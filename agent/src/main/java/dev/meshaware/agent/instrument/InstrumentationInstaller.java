package dev.meshaware.agent.instrument;

import dev.meshaware.core.log.MeshLog;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Registers the instrumentations with the JVM: a {@link LazyTransformer} now, the {@link
 * AdviceWeaver} when the first target class loads. Targets already loaded (the JDK's own classes,
 * or an agent attached late) are retransformed on a background thread so that {@code premain} stays
 * short.
 */
public final class InstrumentationInstaller {
  private InstrumentationInstaller() {}

  /**
   * Installs {@code instrumentations}. Throws when the JVM refuses the transformer (an agent jar
   * whose manifest does not allow retransformation): the caller says so and records it.
   */
  public static void install(
      Instrumentation instrumentation, List<TypeInstrumentation> instrumentations, Module core) {
    List<String> typeNames = new ArrayList<>();
    for (TypeInstrumentation each : instrumentations) {
      typeNames.addAll(each.typeNames());
    }
    LazyTransformer lazy =
        new LazyTransformer(
            typeNames,
            () -> new AdviceWeaver(instrumentations, instrumentation),
            instrumentation,
            core);
    instrumentation.addTransformer(lazy, true);
    retransformLoaded(instrumentation, lazy::isTarget, "meshaware-init");
    if (MeshLog.isDebugEnabled()) {
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> MeshLog.debug("start-up cost: " + lazy.costSummary())));
    }
  }

  /** Retransformations waiting for the background thread, in the order they were asked for. */
  private static final java.util.Queue<Runnable> LATER = new java.util.ArrayDeque<>();

  private static boolean running;

  /**
   * Retransforms, on one daemon thread so that premain stays short, the loaded classes whose
   * internal name {@code isTarget} accepts. Requests run one after the other in the order they were
   * made, so that the first ones (the JVM's exit watch) are not held up by later ones. Never
   * throws.
   */
  public static void retransformLoaded(
      Instrumentation instrumentation, Predicate<String> isTarget, String threadName) {
    List<Class<?>> loaded = new ArrayList<>();
    for (Class<?> type : instrumentation.getAllLoadedClasses()) {
      if (isTarget.test(type.getName().replace('.', '/'))
          && instrumentation.isModifiableClass(type)) {
        loaded.add(type);
      }
    }
    if (loaded.isEmpty()) {
      return;
    }
    Runnable job =
        () -> {
          for (Class<?> type : loaded) {
            try {
              instrumentation.retransformClasses(type);
              if (MeshLog.isDebugEnabled() && ActiveInstrumentations.changed(type.getName())) {
                // the transform's own line comes before the JVM swaps the code in; this one after
                MeshLog.debug("in effect: " + type.getName());
              }
            } catch (Throwable t) {
              MeshLog.debug("cannot retransform " + type.getName() + ": " + t);
            }
          }
        };
    synchronized (LATER) {
      LATER.add(job);
      if (running) {
        return;
      }
      running = true;
    }
    Thread later = new Thread(InstrumentationInstaller::runLater, threadName);
    later.setDaemon(true);
    later.start();
  }

  private static void runLater() {
    while (true) {
      Runnable next;
      synchronized (LATER) {
        next = LATER.poll();
        if (next == null) {
          running = false;
          return;
        }
      }
      next.run();
    }
  }
}
