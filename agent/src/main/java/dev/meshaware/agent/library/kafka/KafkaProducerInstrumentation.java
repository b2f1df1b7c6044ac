package dev.meshaware.agent.library.kafka;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import java.util.List;
import net.bytebuddy.asm.Advice;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Outbound: {@code KafkaProducer.doSend}, which {@code send} calls after the application's producer
 * interceptors ran, so headers they set are seen and kept. The record sent is a copy with the trace
 * headers it lacks (see {@link KafkaRecords#withHeaders}); the callback runs with the sender's
 * headers. The OpenTelemetry agent writes its headers in {@code send}, before: they are present
 * here, so they win.
 */
public final class KafkaProducerInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "kafka-producer";
  }

  @Override
  public List<String> typeNames() {
    return List.of("org.apache.kafka.clients.producer.KafkaProducer");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.method(
            "doSend",
            SendAdvice.class,
            "org.apache.kafka.clients.producer.ProducerRecord",
            "org.apache.kafka.clients.producer.Callback"));
  }

  @Override
  public List<String> auxiliaryTypes() {
    return KafkaLibrary.AUXILIARY;
  }

  /** Sends a copy with the missing headers; the callback runs with the sender's. */
  public static final class SendAdvice {
    private SendAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(
        @Advice.Argument(value = 0, readOnly = false) ProducerRecord<?, ?> record,
        @Advice.Argument(value = 1, readOnly = false) Callback callback) {
      record = KafkaRecords.withHeaders(record);
      callback = KafkaRecords.owned(callback);
    }
  }
}
