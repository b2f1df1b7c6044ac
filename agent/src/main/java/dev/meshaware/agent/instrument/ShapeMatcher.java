package dev.meshaware.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.meshaware.agent.instrument.references.Reference;
import dev.meshaware.agent.instrument.references.ReferenceCheck;
import dev.meshaware.agent.instrument.references.ReferenceIndex;
import dev.meshaware.core.log.MeshLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.pool.TypePool;

/**
 * Matches a target by name, then checks that it has the shape the advice was written for: every
 * advised method exists (or one of its {@linkplain AdviceSpec#asAlternative() alternatives}) and
 * every type the advice uses is visible from the target's loader. A target of another shape is left
 * alone, with one debug line, so a library version the advice does not know never sees a {@code
 * VerifyError} or {@code NoSuchMethodError}.
 */
final class ShapeMatcher {
  private final TypeInstrumentation instrumentation;

  /** Targets already named in a debug line, by loader; capped like the weaver's. */
  private final Map<String, Boolean> reported = new ConcurrentHashMap<>();

  private final ReferenceIndex index;

  /**
   * What the advice and auxiliary classes touch in the library, from the build; read when a target
   * first needs checking (most instrumentations never meet their library).
   */
  private volatile List<Reference> references;

  ShapeMatcher(TypeInstrumentation instrumentation, ReferenceIndex index) {
    this.instrumentation = instrumentation;
    this.index = index;
  }

  private List<Reference> references() {
    List<Reference> known = references;
    if (known == null) {
      known = new ArrayList<>();
      for (String className : ReferenceIndex.classesOf(instrumentation)) {
        known.addAll(index.of(className));
      }
      references = known;
    }
    return known;
  }

  static ElementMatcher<MethodDescription> methodMatcher(AdviceSpec spec) {
    // Byte Buddy names a constructor after its type, never "<init>": match it by kind instead.
    ElementMatcher.Junction<MethodDescription> matcher =
        (spec.isConstructor()
                ? isConstructor()
                : ElementMatchers.<MethodDescription>named(spec.methodName()))
            .and(takesArguments(spec.parameterTypes().size()));
    for (int i = 0; i < spec.parameterTypes().size(); i++) {
      matcher =
          matcher.and(
              net.bytebuddy.matcher.ElementMatchers.takesArgument(
                  i, named(spec.parameterTypes().get(i))));
    }
    return matcher;
  }

  /**
   * True when {@code type}, loaded by {@code loader}, has the shape the advice needs. What it
   * reports happens now, or is added to {@code effects} when given (weaving ahead of the load).
   */
  boolean matches(TypeDescription type, ClassLoader loader, List<Runnable> effects) {
    if (!instrumentation.typeNames().contains(type.getName())) {
      return false;
    }
    String problem = shapeProblem(type, loader);
    Runnable report =
        new Runnable() {
          @Override
          public void run() {
            report(type.getName(), loader, problem);
          }
        };
    if (effects == null) {
      report.run();
    } else {
      effects.add(report);
    }
    return problem == null;
  }

  private void report(String typeName, ClassLoader loader, String problem) {
    if (problem == null) {
      ActiveInstrumentations.matched(typeName, instrumentation.name(), loader);
      return;
    }
    ActiveInstrumentations.skipped(instrumentation.name(), typeName + ": " + problem);
    if (MeshLog.isDebugEnabled()
        && reported.size() < AdviceWeaver.REPORTED_LIMIT
        && reported.putIfAbsent(typeName + "@" + System.identityHashCode(loader), true) == null) {
      MeshLog.debug(
          "skipping "
              + instrumentation.name()
              + " for "
              + typeName
              + ": "
              + problem
              + " (a library version meshaware does not know)");
    }
  }

  private String shapeProblem(TypeDescription type, ClassLoader loader) {
    String missing = methodProblem(type);
    if (missing != null) {
      return missing;
    }
    List<Reference> references = references();
    if (!references.isEmpty()) {
      TypePool pool =
          loader == null
              ? AdviceWeaver.BOOT_TYPES
              : new TypePool.Default.WithLazyResolution(
                  new TypePool.CacheProvider.Simple(),
                  ClassFileLocator.ForClassLoader.of(loader),
                  TypePool.Default.ReaderMode.FAST,
                  AdviceWeaver.BOOT_TYPES);
      return ReferenceCheck.problem(references, pool);
    }
    return null;
  }

  /** What the references check says against {@code pool}; null when they all hold. */
  String referenceProblem(TypePool pool) {
    return ReferenceCheck.problem(references(), pool);
  }

  /** Null when {@code type} declares the advised methods; else which one it lacks. */
  String methodProblem(TypeDescription type) {
    List<AdviceSpec> alternatives = new ArrayList<>();
    boolean alternativeFound = false;
    for (AdviceSpec spec : instrumentation.advice()) {
      boolean present = !type.getDeclaredMethods().filter(methodMatcher(spec)).isEmpty();
      if (spec.isAlternative()) {
        alternatives.add(spec);
        alternativeFound |= present;
      } else if (!present) {
        return "no method " + spec;
      }
    }
    if (!alternatives.isEmpty() && !alternativeFound) {
      return "none of the methods " + alternatives;
    }
    return null;
  }
}
