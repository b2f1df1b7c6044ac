package dev.meshaware.agent.instrument;

import java.util.List;

/**
 * An instrumentation given by its parts: for targets whose advice needs nothing but the JDK and
 * core, so that no class of its own is worth writing.
 */
public final class SimpleInstrumentation implements TypeInstrumentation {
  private final String name;
  private final List<String> typeNames;
  private final List<AdviceSpec> advice;

  /** {@code advice} applied to every class of {@code typeNames}, reported as {@code name}. */
  public SimpleInstrumentation(String name, List<String> typeNames, List<AdviceSpec> advice) {
    this.name = name;
    this.typeNames = List.copyOf(typeNames);
    this.advice = List.copyOf(advice);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<String> typeNames() {
    return typeNames;
  }

  @Override
  public List<AdviceSpec> advice() {
    return advice;
  }
}
