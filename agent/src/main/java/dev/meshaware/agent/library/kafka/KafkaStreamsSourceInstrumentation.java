package dev.meshaware.agent.library.kafka;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.propagation.CurrentHeaders;
import java.util.List;
import net.bytebuddy.asm.Advice;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Inbound: Kafka Streams. Every node's {@code process} (source, processors, sink) runs with the
 * trace headers of the record it is given, and nothing of them after it: a source node's call runs
 * the topology below it for one input record on the stream thread, and a record forwarded from
 * elsewhere (a result a state store's cache evicts while another record is processed, a
 * suppression's emit) carries its own record context, which Streams keeps with it. A node given the
 * same record context as the node that called it opens nothing more. Punctuators run with nothing
 * current, except for what they forward.
 */
public final class KafkaStreamsSourceInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "kafka-streams";
  }

  @Override
  public List<String> typeNames() {
    return List.of(
        "org.apache.kafka.streams.processor.internals.SourceNode",
        "org.apache.kafka.streams.processor.internals.ProcessorNode",
        "org.apache.kafka.streams.processor.internals.SinkNode");
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

  /** One record through one node (and what the node calls). */
  public static final class ProcessAdvice {
    private ProcessAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static CurrentHeaders.Scope enter(@Advice.Argument(0) Record<?, ?> record) {
      return KafkaRecords.open(record.headers());
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter CurrentHeaders.Scope scope) {
      KafkaRecords.close(scope);
    }
  }
}
