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
   * The read-ahead of a parallel stream's split (Kafka's consumed records make nothing current
   * there) is rewritten by the work ownership transformer with the JDK's executors, in plain calls.
   */
  @Override
  public List<TypeInstrumentation> threadHops() {
    return ExecutorInstrumentations.all();
  }
}
