package dev.meshaware.agent.instrument;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Which methods of a target type get which advice, described by names only. Keeping this free of
 * Byte Buddy types lets the agent register its targets without loading Byte Buddy; the advice class
 * is named, not loaded, so the application's library classes it mentions are never loaded through
 * the agent's class loader.
 */
public final class AdviceSpec {
  /** The name the JVM gives constructors; {@link #constructor} uses it. */
  static final String CONSTRUCTOR = "<init>";

  private final String methodName;
  private final List<String> parameterTypes;
  private final String adviceClass;
  private final boolean alternative;

  private AdviceSpec(
      String methodName, List<String> parameterTypes, String adviceClass, boolean alternative) {
    this.methodName = methodName;
    this.parameterTypes = parameterTypes;
    this.adviceClass = adviceClass;
    this.alternative = alternative;
  }

  private AdviceSpec(String methodName, List<String> parameterTypes, String adviceClass) {
    this(methodName, parameterTypes, adviceClass, false);
  }

  /**
   * This spec as one of several known shapes of the same method (a JDK-internal method whose
   * parameters changed between versions): the target needs at least one of its alternatives, not
   * every one.
   */
  public AdviceSpec asAlternative() {
    return new AdviceSpec(methodName, parameterTypes, adviceClass, true);
  }

  /** True for one of several alternative shapes; see {@link #asAlternative()}. */
  public boolean isAlternative() {
    return alternative;
  }

  /**
   * Advice for the method {@code name} taking exactly {@code parameterTypes} (binary names, e.g.
   * {@code java.lang.Runnable}); {@code adviceClass} is the advice's binary name.
   */
  public static AdviceSpec method(String name, Class<?> adviceClass, String... parameterTypes) {
    return new AdviceSpec(
        name, Collections.unmodifiableList(Arrays.asList(parameterTypes)), adviceClass.getName());
  }

  /**
   * Advice for the constructor taking exactly {@code parameterTypes}. Enter advice runs before the
   * object exists: it may read and replace arguments but not touch {@code this}; exit advice sees
   * the object but cannot catch what the constructor throws.
   */
  public static AdviceSpec constructor(Class<?> adviceClass, String... parameterTypes) {
    return new AdviceSpec(
        CONSTRUCTOR,
        Collections.unmodifiableList(Arrays.asList(parameterTypes)),
        adviceClass.getName());
  }

  /** True when this advises a constructor. */
  public boolean isConstructor() {
    return CONSTRUCTOR.equals(methodName);
  }

  /** The method's name ({@code <init>} for a constructor). */
  public String methodName() {
    return methodName;
  }

  /** The parameter types' binary names. */
  public List<String> parameterTypes() {
    return parameterTypes;
  }

  /** The advice class's binary name. */
  public String adviceClass() {
    return adviceClass;
  }

  @Override
  public String toString() {
    return methodName + "(" + String.join(", ", parameterTypes) + ")";
  }
}
