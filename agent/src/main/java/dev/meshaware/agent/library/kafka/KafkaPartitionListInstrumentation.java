package dev.meshaware.agent.library.kafka;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.propagation.ProcessedRecords;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Inbound: {@code ConsumerRecords.records(partition)} hands the application a list, which it
 * processes without the iterator: nothing of a record handed out before (a record peeked at) may
 * stay current while it does.
 */
public final class KafkaPartitionListInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "kafka-partition-list";
  }

  @Override
  public List<String> typeNames() {
    return List.of("org.apache.kafka.clients.consumer.ConsumerRecords");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.method("records", EndAdvice.class, "org.apache.kafka.common.TopicPartition"));
  }

  /** Ends the processing of this thread's record. */
  public static final class EndAdvice {
    private EndAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter() {
      ProcessedRecords.end();
    }
  }
}
