package dev.meshaware.agent.instrument;

import dev.meshaware.core.log.MeshLog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.utility.JavaModule;

/**
 * Registers the instrumentations with the JVM: a {@link LazyTransformer} now, Byte Buddy when the
 * first target class loads. Targets already loaded (the JDK's own classes, or an agent attached
 * late) are retransformed on a background thread so that {@code premain} stays short.
 */
public final class InstrumentationInstaller {
  private InstrumentationInstaller() {}

  /** Installs {@code instrumentations}; never throws. */
  public static void install(
      Instrumentation instrumentation, List<TypeInstrumentation> instrumentations, Module core) {
    try {
      List<String> typeNames = new ArrayList<>();
      for (TypeInstrumentation each : instrumentations) {
        typeNames.addAll(each.typeNames());
      }
      LazyTransformer lazy =
          new LazyTransformer(
              typeNames,
              () -> byteBuddyTransformer(instrumentations, instrumentation),
              instrumentation,
              core);
      instrumentation.addTransformer(lazy, true);
      List<Class<?>> loaded = new ArrayList<>();
      for (Class<?> type : instrumentation.getAllLoadedClasses()) {
        if (lazy.isTarget(type.getName().replace('.', '/'))
            && instrumentation.isModifiableClass(type)) {
          loaded.add(type);
        }
      }
      // Almost every application soon loads an executor or an HTTP class: initialise the engine
      // on a background thread now, beside the application's own start-up, instead of on the
      // application thread that first touches a target.
      Thread warmUp =
          new Thread(
              () -> {
                lazy.warmUp();
                if (!loaded.isEmpty()) {
                  retransform(instrumentation, loaded);
                }
              },
              "meshaware-init");
      warmUp.setDaemon(true);
      warmUp.start();
      if (MeshLog.isDebugEnabled()) {
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(() -> MeshLog.debug("start-up cost: " + lazy.costSummary())));
      }
    } catch (Throwable t) {
      MeshLog.warn(
          "instrumentation unavailable (no header forwarding, no failure diagnostics): " + t);
    }
  }

  private static void retransform(Instrumentation instrumentation, List<Class<?>> loaded) {
    for (Class<?> type : loaded) {
      try {
        instrumentation.retransformClasses(type);
      } catch (Throwable t) {
        MeshLog.debug("cannot retransform " + type.getName() + ": " + t);
      }
    }
  }

  /**
   * Byte Buddy's self-initialising "nexus" is not used (advice needs no type initializers), but
   * merely creating an agent builder would probe for it through {@code sun.misc.Unsafe}, which
   * makes JDK 24+ print a deprecation warning into the application's output. The property name is
   * relocated with Byte Buddy, so it concerns meshaware's copy only.
   */
  private static final String NEXUS_DISABLED =
      "dev.meshaware.agent.shaded.net.bytebuddy.nexus.disabled";

  private static ClassFileTransformer byteBuddyTransformer(
      List<TypeInstrumentation> all, Instrumentation jvm) {
    System.setProperty(NEXUS_DISABLED, "true");
    AgentBuilder builder =
        // Only declared methods are advised, so Byte Buddy need not resolve the whole type
        // hierarchy: cheaper, and immune to interfaces another agent (OpenTelemetry) added that
        // no class file locator of ours can resolve.
        new AgentBuilder.Default(
                new ByteBuddy()
                    .with(TypeValidation.DISABLED)
                    .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE))
            .disableClassFormatChanges()
            // Must follow disableClassFormatChanges(), whose strategy drops auxiliary types.
            .with(AuxiliaryTypes.INJECT)
            .with(new DefineClassInjection(jvm))
            .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
            .with(AgentBuilder.TypeStrategy.Default.DECORATE)
            .with(AgentBuilder.DescriptionStrategy.Default.POOL_FIRST)
            .with(new DebugListener())
            .ignore(ElementMatchers.nameStartsWith("dev.meshaware."));
    ClassLoader agentLoader = InstrumentationInstaller.class.getClassLoader();
    for (TypeInstrumentation instrumentation : all) {
      AgentBuilder.Transformer.ForAdvice advice =
          new AgentBuilder.Transformer.ForAdvice().include(agentLoader);
      for (AdviceSpec spec : instrumentation.advice()) {
        advice = advice.advice(ShapeMatcher.methodMatcher(spec), spec.adviceClass());
      }
      if (!instrumentation.auxiliaryTypes().isEmpty()) {
        advice = advice.auxiliary(instrumentation.auxiliaryTypes());
      }
      builder = builder.type(new ShapeMatcher(instrumentation)).transform(advice);
    }
    return builder.makeRaw();
  }

  /** Records applied transformations for the report; reports them and failures as debug lines. */
  private static final class DebugListener extends AgentBuilder.Listener.Adapter {
    private final Set<String> seen = java.util.Collections.synchronizedSet(new LinkedHashSet<>());

    @Override
    public void onTransformation(
        TypeDescription type,
        ClassLoader loader,
        JavaModule module,
        boolean loaded,
        DynamicType dynamicType) {
      ActiveInstrumentations.transformed(type.getName());
      if (seen.add(type.getName() + "@" + System.identityHashCode(loader))) {
        MeshLog.debug("instrumented " + type.getName());
      }
    }

    @Override
    public void onError(
        String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
      MeshLog.debug("cannot instrument " + typeName + ": " + error);
    }
  }
}
