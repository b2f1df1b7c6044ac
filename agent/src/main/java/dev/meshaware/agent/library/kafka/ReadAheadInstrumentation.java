package dev.meshaware.agent.library.kafka;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.propagation.ProcessedRecords;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * A parallel stream over {@code ConsumerRecords} splits it by reading a batch of records from its
 * iterator into an array ({@code Spliterators.IteratorSpliterator.trySplit}) on one thread, then
 * processes them on several. The records handed out there are read ahead of their processing: none
 * may become current (the last one read would otherwise be current while the others are processed).
 * Records of a parallel stream are processed with nothing current. Part of the {@code executors}
 * library (a JDK class, present in every application).
 */
public final class ReadAheadInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "kafka-read-ahead";
  }

  @Override
  public List<String> typeNames() {
    return List.of("java.util.Spliterators$IteratorSpliterator");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(AdviceSpec.method("trySplit", SplitAdvice.class));
  }

  /** Records read while splitting make nothing current. */
  public static final class SplitAdvice {
    private SplitAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter() {
      ProcessedRecords.aheadBegin();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit() {
      ProcessedRecords.aheadEnd();
    }
  }
}
