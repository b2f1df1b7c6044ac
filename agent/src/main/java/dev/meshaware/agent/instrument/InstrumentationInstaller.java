package dev.meshaware.agent.instrument;

import dev.meshaware.core.log.MeshLog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

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
    Map<String, List<String>> announced = new HashMap<>();
    for (TypeInstrumentation each : instrumentations) {
      typeNames.addAll(each.typeNames());
      for (String announcer : each.announcedBy()) {
        String key = announcer.replace('.', '/');
        if (!announced.containsKey(key)) {
          announced.put(key, new ArrayList<>());
        }
        announced.get(key).addAll(each.typeNames());
      }
    }
    LazyTransformer lazy =
        new LazyTransformer(
            typeNames,
            announced,
            new Supplier<ClassFileTransformer>() {
              @Override
              public ClassFileTransformer get() {
                return new AdviceWeaver(instrumentations, instrumentation);
              }
            },
            instrumentation,
            core);
    instrumentation.addTransformer(lazy, true);
    lazy.prepareInBackground();
    retransformLoaded(
        instrumentation,
        new Predicate<String>() {
          @Override
          public boolean test(String internalName) {
            return lazy.isTarget(internalName);
          }
        },
        false);
    if (MeshLog.isDebugEnabled()) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () ->
                      MeshLog.debug(
                          "start-up cost: "
                              + lazy.costSummary()
                              + ", background preparation "
                              + Background.cpuMillis()
                              + " ms (CPU time)")));
    }
  }

  /**
   * Weaves on the background thread, ahead of their load, the JDK classes {@code likely} targets,
   * with an engine of their own: the engine installed later takes each result whose class has the
   * same advice in it. Returns at once; never throws.
   */
  public static void prepareAhead(
      Instrumentation instrumentation, List<TypeInstrumentation> likely) {
    Background.run(
        new Runnable() {
          @Override
          public void run() {
            List<String> typeNames = new ArrayList<>();
            for (TypeInstrumentation each : likely) {
              typeNames.addAll(each.typeNames());
            }
            if (Background.gateWaiting()) {
              new AdviceWeaver(likely, instrumentation).prepare(typeNames, instrumentation, true);
            }
          }
        });
  }

  /**
   * Retransforms, on the agent's background thread so that premain stays short, the loaded classes
   * whose internal name {@code isTarget} accepts. They run before any preparation still waiting
   * there (the JVM's exit watch must not wait behind it), one after the other in the order asked
   * for, or ahead of the others when {@code first} (work ownership's: plain ASM, a few
   * milliseconds). Never throws.
   */
  public static void retransformLoaded(
      Instrumentation instrumentation, Predicate<String> isTarget, boolean first) {
    // The classes loaded until now: a target that loads from now on is transformed as it loads.
    List<Class<?>> loaded = new ArrayList<>();
    for (Class<?> type : instrumentation.getAllLoadedClasses()) {
      if (isTarget.test(type.getName().replace('.', '/'))) {
        loaded.add(type);
      }
    }
    if (loaded.isEmpty()) {
      return;
    }
    Runnable job =
        new Runnable() {
          @Override
          public void run() {
            for (Class<?> type : loaded) {
              if (instrumentation.isModifiableClass(type)) {
                retransform(instrumentation, type);
              }
            }
          }
        };
    Background.runUrgent(job, first);
  }

  private static void retransform(Instrumentation instrumentation, Class<?> type) {
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
}
