package dev.meshaware.agent.library.kafka;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.propagation.CurrentHeaders;
import java.util.List;
import net.bytebuddy.asm.Advice;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Inbound: Kafka Streams. A source node's {@code process} runs the whole topology below it for one
 * input record, on the stream thread: the record's trace headers are current for that call and
 * nothing of them after it. Punctuators run outside it, with nothing current.
 */
public final class KafkaStreamsSourceInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "kafka-streams";
  }

  @Override
  public List<String> typeNames() {
    return List.of("org.apache.kafka.streams.processor.internals.SourceNode");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.method(
            "process", ProcessAdvice.class, "org.apache.kafka.streams.processor.api.Record"));
  }

  @Override
  public List<String> auxiliaryTypes() {
    return KafkaLibrary.AUXILIARY;
  }

  /** One input record through the topology. */
  public static final class ProcessAdvice {
    private ProcessAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static CurrentHeaders.Scope enter(@Advice.Argument(0) Record<?, ?> record) {
      return KafkaRecords.open(record, record.headers(), null);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter CurrentHeaders.Scope scope) {
      KafkaRecords.close(scope);
    }
  }
}
