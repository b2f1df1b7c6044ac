package dev.meshaware.agent.instrument;

import dev.meshaware.core.log.MeshLog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The only transformer the JVM calls for every class it loads. It compares the class name with a
 * set of target names and returns at once for everything else; Byte Buddy is initialised only when
 * the first target shows up, so an application that uses none of the instrumented libraries never
 * pays for it.
 */
public final class LazyTransformer implements ClassFileTransformer {
  private final Set<String> internalNames;
  private final Supplier<ClassFileTransformer> factory;
  private final Instrumentation instrumentation;
  private final Module coreModule;
  private final ThreadLocal<Boolean> busy = new ThreadLocal<>();
  private final Prepared<ClassFileTransformer> engine =
      new Prepared<>(
          new Supplier<ClassFileTransformer>() {
            @Override
            public ClassFileTransformer get() {
              return makeEngine();
            }
          });
  private final java.util.concurrent.atomic.AtomicLong transformNanos =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicInteger transformed =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile long engineNanos;

  /** Announcing class (internal name) -> the targets to weave ahead when it loads. */
  private final Map<String, List<String>> announced;

  LazyTransformer(
      List<String> typeNames,
      Supplier<ClassFileTransformer> factory,
      Instrumentation instrumentation,
      Module coreModule) {
    this(typeNames, Map.of(), factory, instrumentation, coreModule);
  }

  LazyTransformer(
      List<String> typeNames,
      Map<String, List<String>> announced,
      Supplier<ClassFileTransformer> factory,
      Instrumentation instrumentation,
      Module coreModule) {
    Set<String> names = new HashSet<>();
    for (String typeName : typeNames) {
      names.add(typeName.replace('.', '/'));
    }
    this.internalNames = Collections.unmodifiableSet(names);
    this.announced = new java.util.concurrent.ConcurrentHashMap<>(announced);
    this.factory = factory;
    this.instrumentation = instrumentation;
    this.coreModule = coreModule;
  }

  /** True when {@code className} (internal form) is a target. */
  boolean isTarget(String className) {
    return className != null && internalNames.contains(className);
  }

  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classfileBuffer) {
    if (!isTarget(className) || busy.get() != null) {
      if (className != null && !announced.isEmpty()) {
        List<String> targets = announced.remove(className);
        if (targets != null) {
          prepareInBackground(targets);
        }
      }
      return null;
    }
    busy.set(Boolean.TRUE);
    long start = cpuNanos();
    try {
      ClassFileTransformer transformer = delegate();
      start = cpuNanos(); // the engine initialisation above is counted apart
      if (transformer == null) {
        return null;
      }
      byte[] result =
          transformer.transform(
              module, loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
      if (result != null && module != null && module.isNamed() && !module.canRead(coreModule)) {
        // Inlined advice calls core, which lives in the boot loader's unnamed module; a named
        // module (java.base, java.net.http, jdk.httpserver) cannot link to it without this edge.
        instrumentation.redefineModule(
            module,
            Collections.singleton(coreModule),
            Map.of(),
            Map.of(),
            Collections.emptySet(),
            Map.of());
      }
      return result;
    } catch (Throwable t) {
      MeshLog.debug("cannot instrument " + className + ": " + t);
      return null;
    } finally {
      transformNanos.addAndGet(cpuNanos() - start);
      transformed.incrementAndGet();
      busy.remove();
    }
  }

  /**
   * CPU time of the current thread when debug lines are on (so the figures hold on a busy machine),
   * else nothing: the management API is not loaded for a figure nobody reads.
   */
  private static long cpuNanos() {
    return MeshLog.isDebugEnabled()
        ? java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime()
        : 0L;
  }

  /**
   * Where the agent's start-up time went, for the debug log and the benchmarks: engine
   * initialisation and the transformation of target classes.
   */
  String costSummary() {
    return "instrumentation engine "
        + engineNanos / 1_000_000
        + " ms, "
        + transformed.get()
        + " target classes transformed in "
        + transformNanos.get() / 1_000_000
        + " ms (CPU time)";
  }

  /** How long a class load waits for the background thread to finish making the engine. */
  static final long ENGINE_WAIT_MILLIS = 2_000;

  /** Makes the engine on the agent's background thread, ahead of the first target. */
  void prepareInBackground() {
    Background.run(
        new Runnable() {
          @Override
          public void run() {
            engine.runIfNotStarted();
          }
        });
  }

  /**
   * Weaves those of {@code typeNames} that are JDK classes not loaded yet on the background thread,
   * ahead of their load (see {@link AdviceWeaver#prepare}).
   */
  void prepareInBackground(java.util.Collection<String> typeNames) {
    Background.run(
        new Runnable() {
          @Override
          public void run() {
            ClassFileTransformer made = engine.get(ENGINE_WAIT_MILLIS);
            if (made instanceof AdviceWeaver) {
              ((AdviceWeaver) made).prepare(typeNames, instrumentation, false);
            }
          }
        });
  }

  private ClassFileTransformer makeEngine() {
    long start = cpuNanos();
    ClassFileTransformer made = factory.get();
    engineNanos = cpuNanos() - start;
    MeshLog.debug("instrumentation engine ready in " + engineNanos / 1_000_000 + " ms of CPU");
    return made;
  }

  private ClassFileTransformer delegate() {
    return engine.get(ENGINE_WAIT_MILLIS);
  }
}
