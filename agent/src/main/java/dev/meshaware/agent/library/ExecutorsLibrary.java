package dev.meshaware.agent.library;

import dev.meshaware.agent.instrument.Library;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.agent.propagation.ExecutorInstrumentations;
import java.util.List;

/**
 * Executors, fork/join, {@code CompletableFuture}, timers, threads and event loops: woven by the
 * work-ownership transformer, which this library's switch also governs.
 */
public final class ExecutorsLibrary implements Library {
  /** The switch's name. */
  public static final String NAME = "executors";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String covers() {
    return "JDK executors, fork/join, CompletableFuture, timers, application executors and event"
        + " loops found by shape";
  }

  /**
   * With the read-ahead of a parallel stream's split, which takes records from an iterator before
   * they are processed (Kafka's consumed records make nothing current there): a JDK class, woven
   * with the JDK's others so that an application without Kafka is not reported as having it.
   */
  @Override
  public List<TypeInstrumentation> threadHops() {
    List<TypeInstrumentation> all = new java.util.ArrayList<>(ExecutorInstrumentations.all());
    all.add(new dev.meshaware.agent.library.kafka.ReadAheadInstrumentation());
    return java.util.Collections.unmodifiableList(all);
  }
}
