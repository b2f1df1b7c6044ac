package dev.meshaware.agent.library.kafka;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.propagation.ProcessedRecords;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Inbound: where the application shows which record it processes. Reading the value or key of a
 * record other than the one the iterator handed out last means it did not process records as they
 * were handed out (a chunk, a partition of the batch, a record peeked at): nothing stays current
 * ({@link ProcessedRecords#touched}). Taking the list of one partition ({@code records(partition)})
 * starts processing of another kind: nothing of a record handed out before stays current.
 */
public final class KafkaRecordReadInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "kafka-record-read";
  }

  @Override
  public List<String> typeNames() {
    return List.of("org.apache.kafka.clients.consumer.ConsumerRecord");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.method("value", ReadAdvice.class), AdviceSpec.method("key", ReadAdvice.class));
  }

  /** The application reads this record. */
  public static final class ReadAdvice {
    private ReadAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object record) {
      ProcessedRecords.touched(record);
    }
  }
}
