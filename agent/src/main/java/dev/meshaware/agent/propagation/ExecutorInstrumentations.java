package dev.meshaware.agent.propagation;

import dev.meshaware.agent.instrument.SimpleInstrumentation;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.agent.propagation.ownership.WorkOwnershipTransformer;
import java.util.List;

/**
 * Thread hops through executors, pools, futures and timers, woven by {@link
 * WorkOwnershipTransformer} (registration where work is handed over, its owner's scope where it
 * runs). Listed here only so that the startup report names it with the other thread hops.
 */
public final class ExecutorInstrumentations {
  private ExecutorInstrumentations() {}

  /** The report's entry for the woven part. */
  public static List<TypeInstrumentation> all() {
    return List.of(new SimpleInstrumentation(WorkOwnershipTransformer.NAME, List.of(), List.of()));
  }
}
