package dev.meshaware.agent.library.kafka;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Inbound: the iterator of {@code ConsumerRecords} (also behind {@code records(topic)} and {@code
 * forEach}). When it hands out a record, that record's trace headers become current on the thread
 * that asked, and the previous record's processing ends; when it has no more, nothing of the last
 * record remains. Advised at {@code makeNext}, the step that finds the next record, so the
 * application's loop gets Kafka's own iterator object.
 */
public final class KafkaConsumerRecordsInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "kafka-consumer-records";
  }

  @Override
  public List<String> typeNames() {
    return List.of("org.apache.kafka.clients.consumer.ConsumerRecords$ConcatenatedIterable$1");
  }

  @Override
  public String presentWith() {
    return "org.apache.kafka.clients.consumer.ConsumerRecords";
  }

  @Override
  public List<AdviceSpec> advice() {
    // Matches makeNext and its bridge; the record handed out twice in a row is one processing.
    return List.of(AdviceSpec.method("makeNext", NextAdvice.class));
  }

  @Override
  public List<String> auxiliaryTypes() {
    return KafkaLibrary.AUXILIARY;
  }

  /** The record handed out, or null (Kafka's {@code allDone}). */
  public static final class NextAdvice {
    private NextAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Return Object record) {
      KafkaRecords.handedOut(record);
    }
  }
}
