package dev.meshaware.agent.instrument;

import dev.meshaware.agent.instrument.references.ReferenceIndex;
import dev.meshaware.core.log.AdviceFailures;
import dev.meshaware.core.log.MeshLog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.TypeInitializer;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.implementation.auxiliary.AuxiliaryType;
import net.bytebuddy.implementation.bytecode.StackManipulation;
import net.bytebuddy.implementation.bytecode.constant.TextConstant;
import net.bytebuddy.implementation.bytecode.member.MethodInvocation;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.pool.TypePool;

/**
 * Applies advice to one target class at a time with Byte Buddy's {@link Advice} and ASM, and
 * nothing else of Byte Buddy: no agent builder, no dynamic type builder. The advice is inlined into
 * the declared methods the specs name; the class's shape, fields and other methods stay as they are
 * (retransformation forbids anything else). Far fewer classes to load and run at start than the
 * general-purpose agent builder.
 */
public final class AdviceWeaver implements ClassFileTransformer {
  private final Map<String, List<TypeInstrumentation>> byInternalName = new HashMap<>();
  private final Map<TypeInstrumentation, ShapeMatcher> shapes = new HashMap<>();
  private final ClassFileLocator agentClasses;
  private final DefineClassInjection injection;

  /**
   * Classes already named in a debug line, by loader (a retransformation transforms again); only
   * with debug lines on, and capped, as loaders come and go for as long as the JVM runs.
   */
  private final Set<String> reported = java.util.concurrent.ConcurrentHashMap.newKeySet();

  static final int REPORTED_LIMIT = 1024;

  /**
   * The boot loader's types (the JDK's), parsed once and shared by the transformations of every
   * loader: every loader sees them, and their descriptions refer to no application loader. The
   * types of an application's loader are parsed per transformation and dropped with it. No cache is
   * kept per loader: each description holds its pool, whose locator holds the loader, so any table
   * of them would keep every webapp or job loader that ever loaded a target alive, weak keys or not
   * (a weak map's values are strong).
   */
  static final TypePool BOOT_TYPES =
      new TypePool.Default.WithLazyResolution(
          new TypePool.CacheProvider.Simple(),
          ClassFileLocator.ForClassLoader.ofBootLoader(),
          TypePool.Default.ReaderMode.FAST);

  /** Targets in the boot loader itself, with meshaware's classes: that loader never goes away. */
  private final TypePool.CacheProvider bootCache = new TypePool.CacheProvider.Simple();

  /**
   * What a suppressed advice does with its exception: hands it to {@link AdviceFailures#record}
   * with the instrumentation's name, so that a failure inside the application is counted, never
   * silent.
   */
  private static StackManipulation failureHandler(String instrumentation) {
    return new StackManipulation.Compound(
        new TextConstant(instrumentation), MethodInvocation.invoke(RECORD_FAILURE));
  }

  private static final MethodDescription RECORD_FAILURE = recordFailure();

  private static MethodDescription recordFailure() {
    try {
      return new MethodDescription.ForLoadedMethod(
          AdviceFailures.class.getMethod("record", Throwable.class, String.class));
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }

  private static volatile ReferenceIndex references;

  /**
   * The build's record of what each advice touches, read once (the warm-up reads it first); an
   * empty one when the jar lacks it.
   */
  private static ReferenceIndex references() {
    ReferenceIndex known = references;
    if (known != null) {
      return known;
    }
    try {
      return references = ReferenceIndex.load();
    } catch (java.io.IOException | RuntimeException e) {
      MeshLog.warn(
          "the agent jar has no list of the library members its advice uses ("
              + e.getMessage()
              + "): library versions are checked by method names only; use meshaware-agent.jar"
              + " as built");
      return references = ReferenceIndex.empty();
    }
  }

  AdviceWeaver(List<TypeInstrumentation> all, Instrumentation jvm) {
    ReferenceIndex references = references();
    for (TypeInstrumentation instrumentation : all) {
      shapes.put(instrumentation, new ShapeMatcher(instrumentation, references));
      for (String typeName : instrumentation.typeNames()) {
        byInternalName
            .computeIfAbsent(typeName.replace('.', '/'), name -> new ArrayList<>())
            .add(instrumentation);
      }
    }
    agentClasses = ClassFileLocator.ForClassLoader.of(AdviceWeaver.class.getClassLoader());
    injection = new DefineClassInjection(jvm);
  }

  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String internalName,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] bytes) {
    List<TypeInstrumentation> candidates = byInternalName.get(internalName);
    if (candidates == null) {
      return null;
    }
    PrewovenClass prepared = PREWOVEN.remove(internalName);
    if (prepared != null && prepared.fits(loader, candidates, bytes)) {
      prepared.effects.forEach(Runnable::run);
      return prepared.output;
    }
    return weave(loader, internalName, protectionDomain, bytes, candidates, null);
  }

  /**
   * Results worked out ahead of their class's load (see {@link #prepare}), by internal name; each
   * is taken by the first load of its class. Only the JDK's classes are prepared, so no application
   * loader is held.
   */
  private static final Map<String, PrewovenClass> PREWOVEN =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Drops what was woven ahead and not taken: its class never loaded during start-up. */
  public static void forgetPrepared() {
    PREWOVEN.clear();
  }

  /** A class woven ahead of its load, with what its weaving reports once the class loads. */
  private static final class PrewovenClass {
    final ClassLoader loader;
    final List<TypeInstrumentation> candidates;
    final byte[] input;
    final byte[] output;
    final List<Runnable> effects;

    PrewovenClass(
        ClassLoader loader,
        List<TypeInstrumentation> candidates,
        byte[] input,
        byte[] output,
        List<Runnable> effects) {
      this.loader = loader;
      this.candidates = candidates;
      this.input = input;
      this.output = output;
      this.effects = effects;
    }

    /** True when this was woven for exactly this load: same loader, advice and bytes. */
    boolean fits(ClassLoader loader, List<TypeInstrumentation> candidates, byte[] bytes) {
      return this.loader == loader
          && this.candidates.equals(candidates)
          && java.util.Arrays.equals(input, bytes);
    }
  }

  /**
   * Weaves, ahead of their load, those of {@code typeNames} (binary names) that are JDK classes of
   * this weaver's targets not loaded yet, so that their load finds the result ready: for the
   * background thread, while the startup gate waits ({@code whileGateWaits}: stops when it opens)
   * or once a library announced itself. A class another agent changes first, or whose advice needs
   * classes defined in its loader, is woven at its load as usual. Never throws.
   */
  /** Weaves {@code bytes} and reports nothing: the engine's warm-up. True when it changed them. */
  boolean practise(ClassLoader loader, String internalName, byte[] bytes) {
    List<TypeInstrumentation> candidates = byInternalName.get(internalName);
    return candidates != null
        && weave(loader, internalName, null, bytes, candidates, new ArrayList<>()) != null;
  }

  void prepare(
      java.util.Collection<String> typeNames, Instrumentation jvm, boolean whileGateWaits) {
    java.util.Set<String> loaded = null;
    for (String typeName : typeNames) {
      if (whileGateWaits && !Background.gateWaiting()) {
        return; // the gate opened: the rest is woven at its load, as without this
      }
      String internalName = typeName.replace('.', '/');
      List<TypeInstrumentation> candidates = byInternalName.get(internalName);
      if (candidates == null || PREWOVEN.containsKey(internalName)) {
        continue;
      }
      Module module = JdkClasses.moduleOf(typeName);
      if (module == null) {
        continue;
      }
      ClassLoader loader = module.getClassLoader();
      if (loaded == null) {
        loaded = JdkClasses.loadedNames(jvm);
      }
      if (loaded.contains(typeName)) {
        continue; // loaded before the transformer: retransformed, never loaded again
      }
      byte[] bytes = JdkClasses.bytes(module, internalName);
      if (bytes == null) {
        continue;
      }
      List<Runnable> effects = new ArrayList<>();
      byte[] woven = weave(loader, internalName, null, bytes, candidates, effects);
      if (effects.isEmpty() && woven == null) {
        continue; // could not be prepared: woven at its load
      }
      PREWOVEN.putIfAbsent(
          internalName, new PrewovenClass(loader, candidates, bytes, woven, effects));
    }
  }

  /**
   * Weaves {@code bytes}; what it reports (matches, skips, the change) happens now, or, when {@code
   * effects} is given (weaving ahead of the load), is added there to happen at the load.
   */
  private byte[] weave(
      ClassLoader loader,
      String internalName,
      ProtectionDomain protectionDomain,
      byte[] bytes,
      List<TypeInstrumentation> candidates,
      List<Runnable> effects) {
    String name = internalName.replace('/', '.');
    try {
      ClassFileLocator locator =
          new ClassFileLocator.Compound(
              ClassFileLocator.Simple.of(name, bytes),
              loader == null
                  ? ClassFileLocator.ForClassLoader.ofBootLoader()
                  : ClassFileLocator.ForClassLoader.of(loader),
              agentClasses);
      TypePool pool =
          loader == null
              ? new TypePool.Default.WithLazyResolution(
                  bootCache, locator, TypePool.Default.ReaderMode.FAST)
              : new TypePool.Default.WithLazyResolution(
                  new TypePool.CacheProvider.Simple(),
                  locator,
                  TypePool.Default.ReaderMode.FAST,
                  BOOT_TYPES);
      TypeDescription type = pool.describe(name).resolve();
      AsmVisitorWrapper.ForDeclaredMethods wrapper = new AsmVisitorWrapper.ForDeclaredMethods();
      Set<String> auxiliaries = new LinkedHashSet<>();
      boolean applies = false;
      for (TypeInstrumentation instrumentation : candidates) {
        if (!shapes.get(instrumentation).matches(type, loader, effects)) {
          continue;
        }
        for (AdviceSpec spec : instrumentation.advice()) {
          Advice advice =
              Advice.to(pool.describe(spec.adviceClass()).resolve(), locator)
                  .withExceptionHandler(failureHandler(instrumentation.name()));
          wrapper = wrapper.invokable(ShapeMatcher.methodMatcher(spec), advice);
        }
        auxiliaries.addAll(instrumentation.auxiliaryTypes());
        applies = true;
      }
      if (!applies) {
        return null;
      }
      if (!auxiliaries.isEmpty() && loader != null) {
        if (effects != null) {
          effects.clear();
          return null; // defining classes in the loader must wait for the load itself
        }
        injection.defineAll(loader, protectionDomain, auxiliaries, agentClasses);
      }
      ClassReader reader = new ClassReader(bytes);
      int writerFlags = wrapper.mergeWriter(0);
      int readerFlags = wrapper.mergeReader(0);
      ClassWriter writer = new ClassWriter(reader, writerFlags);
      ClassFileVersion version = ClassFileVersion.ofClassFile(bytes);
      Implementation.Context.ExtractableView context =
          Implementation.Context.Disabled.Factory.INSTANCE.make(
              type,
              new AuxiliaryType.NamingStrategy.SuffixingRandom("meshaware"),
              TypeInitializer.None.INSTANCE,
              version,
              version);
      ClassVisitor visitor =
          wrapper.wrap(
              type,
              writer,
              context,
              pool,
              type.getDeclaredFields(),
              type.getDeclaredMethods(),
              writerFlags,
              readerFlags);
      reader.accept(visitor, readerFlags);
      byte[] woven = writer.toByteArray();
      Runnable changed =
          new Runnable() {
            @Override
            public void run() {
              ActiveInstrumentations.transformed(name);
              if (MeshLog.isDebugEnabled()
                  && reported.size() < REPORTED_LIMIT
                  && reported.add(name + "@" + System.identityHashCode(loader))) {
                MeshLog.debug("instrumented " + name);
              }
            }
          };
      if (effects == null) {
        changed.run();
      } else {
        effects.add(changed);
      }
      return woven;
    } catch (Throwable t) {
      if (effects != null) {
        effects.clear();
        return null;
      }
      MeshLog.debug("cannot instrument " + name + ": " + t);
      return null;
    }
  }
}
