package dev.meshaware.agent.propagation.ownership;

import dev.meshaware.agent.instrument.ActiveInstrumentations;
import dev.meshaware.agent.instrument.InstrumentationInstaller;
import dev.meshaware.agent.instrument.JdkClasses;
import dev.meshaware.core.log.MeshLog;
import dev.meshaware.core.propagation.OwnedWork;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;

/**
 * Weaves work ownership into executors, pools, futures and timers as they load (see {@link
 * OwnershipTargets}): plain ASM, no advice engine, so that the JDK classes every application loads
 * early cost little at start-up. Never throws: a class it cannot rewrite loads unchanged, with one
 * debug line.
 */
public final class WorkOwnershipTransformer implements ClassFileTransformer {
  /** The name in the startup report and in debug lines. */
  public static final String NAME = "work-ownership";

  private final OwnershipTargets targets = new OwnershipTargets();
  private final Instrumentation instrumentation;
  private final Module core;
  private final ThreadLocal<Boolean> busy = new ThreadLocal<>();
  private volatile boolean active;

  private WorkOwnershipTransformer(Instrumentation instrumentation, Module core) {
    this.instrumentation = instrumentation;
    this.core = core;
  }

  /**
   * Registers the transformer and rewrites, off the main thread, the JDK classes of its targets
   * that are already loaded. Never throws.
   */
  public static WorkOwnershipTransformer install(Instrumentation instrumentation, Module core) {
    WorkOwnershipTransformer transformer = new WorkOwnershipTransformer(instrumentation, core);
    try {
      instrumentation.addTransformer(transformer, true);
      // Only the JDK's classes can be loaded before premain; they are the boot loader's.
      InstrumentationInstaller.retransformLoaded(
          instrumentation,
          new java.util.function.Predicate<String>() {
            @Override
            public boolean test(String internalName) {
              return OwnershipTargets.isJdkTarget(internalName);
            }
          },
          true); // plain ASM, a few milliseconds: ahead of the engine the others need
    } catch (Throwable t) {
      MeshLog.warn("work ownership unavailable (headers do not follow thread hops): " + t);
    }
    return transformer;
  }

  /** Loaders already asked whether they see core; weak keys, values hold no loader. */
  private final Map<ClassLoader, Boolean> loaders =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  /**
   * True when {@code loader} resolves core's hooks to the boot loader's copy. A loader that
   * delegates only {@code java.*} to its parent (an OSGi bundle without boot delegation, a module
   * system's loader) does not: its classes are left unwoven rather than made to fail with {@code
   * NoClassDefFoundError}.
   */
  private boolean seesCore(ClassLoader loader) {
    if (loader == null) {
      return true;
    }
    Boolean known = loaders.get(loader);
    if (known == null) {
      boolean sees;
      try {
        sees = Class.forName(HOOKS, false, loader) == OwnedWork.class;
      } catch (Throwable t) {
        sees = false;
      }
      if (!sees) {
        MeshLog.debug(
            "work ownership: class loader "
                + loader
                + " does not see meshaware's core; its"
                + " executors are left alone");
      }
      known = sees;
      loaders.put(loader, known);
    }
    return known;
  }

  private static final String HOOKS = "dev.meshaware.core.propagation.OwnedWork";

  /** JDK classes rewritten ahead of their load (see {@link #prepareAhead}): input, output. */
  private static final Map<String, byte[][]> PREPARED =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Rewrites, on the agent's background thread, the JDK's executors, pools, futures and timers not
   * loaded yet, so that their load (the application's first lines after the startup gate) finds
   * them ready. Returns at once; never throws.
   */
  public static void prepareAhead(Instrumentation instrumentation) {
    dev.meshaware.agent.instrument.Background.run(
        new Runnable() {
          @Override
          public void run() {
            java.util.Set<String> loaded = JdkClasses.loadedNames(instrumentation);
            OwnershipTargets targets = new OwnershipTargets();
            for (String name : OwnershipTargets.jdkNames()) {
              if (!dev.meshaware.agent.instrument.Background.gateWaiting()) {
                return; // the gate opened: the rest is rewritten at its load
              }
              String binaryName = name.replace('/', '.');
              Module module = JdkClasses.moduleOf(binaryName);
              if (module == null || loaded.contains(binaryName) || PREPARED.containsKey(name)) {
                continue;
              }
              try {
                byte[] bytes = JdkClasses.bytes(module, name);
                if (bytes == null) {
                  continue;
                }
                byte[] woven = rewrite(targets.planFor(null, name, bytes), bytes);
                if (woven != null) {
                  PREPARED.put(name, new byte[][] {bytes, woven});
                }
              } catch (Throwable t) {
                MeshLog.debug("cannot prepare work ownership for " + name + ": " + t);
              }
            }
          }
        });
  }

  /** {@code bytes} rewritten by {@code plan}, or null when there is nothing to change. */
  private static byte[] rewrite(OwnershipPlan plan, byte[] bytes) {
    if (plan == null) {
      return null;
    }
    ClassReader reader = new ClassReader(bytes);
    ClassWriter writer = new ClassWriter(reader, 0);
    OwnershipClassVisitor visitor = new OwnershipClassVisitor(writer, plan);
    reader.accept(visitor, 0);
    return visitor.changed() ? writer.toByteArray() : null;
  }

  /** Drops what was rewritten ahead and not taken: its class never loaded during start-up. */
  public static void forgetPrepared() {
    PREPARED.clear();
  }

  /** True once a class was rewritten, for the startup report. */
  public boolean isActive() {
    return active;
  }

  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] bytes) {
    if (className == null || busy.get() != null) {
      return null;
    }
    busy.set(Boolean.TRUE);
    try {
      byte[][] prepared = loader == null ? PREPARED.remove(className) : null;
      byte[] woven;
      if (prepared != null && java.util.Arrays.equals(prepared[0], bytes)) {
        woven = prepared[1];
      } else {
        OwnershipPlan plan = targets.planFor(loader, className, bytes);
        if (plan == null || !seesCore(loader)) {
          return null;
        }
        woven = rewrite(plan, bytes);
      }
      if (woven == null) {
        return null;
      }
      if (module != null && module.isNamed() && !module.canRead(core)) {
        // The woven calls reach core in the boot loader's unnamed module.
        instrumentation.redefineModule(
            module,
            Collections.singleton(core),
            Map.of(),
            Map.of(),
            Collections.emptySet(),
            Map.of());
      }
      active = true;
      ActiveInstrumentations.markActive(NAME);
      MeshLog.debug("work ownership woven into " + className.replace('/', '.'));
      return woven;
    } catch (Throwable t) {
      MeshLog.debug("cannot weave work ownership into " + className + ": " + t);
      return null;
    } finally {
      busy.remove();
    }
  }
}
