package dev.meshaware.agent.library.kafka;

import dev.meshaware.agent.instrument.Library;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import java.util.List;

/**
 * Apache Kafka clients 3.9 and 4.x: records produced while a request or a record is processed carry
 * its trace headers; while a consumed record is processed (handed out by the {@code
 * ConsumerRecords} iterator, or run through a Kafka Streams topology), its trace headers are the
 * current ones. Spring Kafka's record listeners are covered through the iterator its container
 * uses.
 */
public final class KafkaLibrary implements Library {
  /** Hook classes defined in Kafka's class loader (they use Kafka's types). */
  static final List<String> AUXILIARY =
      List.of(
          "dev.meshaware.agent.library.kafka.KafkaRecords",
          "dev.meshaware.agent.library.kafka.OwnedCallback");

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public String covers() {
    return "Kafka clients 3.9 and 4.x (producer, consumer iteration, Spring Kafka record"
        + " listeners), Kafka Streams processors";
  }

  @Override
  public List<TypeInstrumentation> inbound() {
    return List.of(
        new KafkaConsumerRecordsInstrumentation(),
        new KafkaConsumerInstrumentation(),
        new KafkaStreamsSourceInstrumentation());
  }

  @Override
  public List<TypeInstrumentation> outbound() {
    return List.of(new KafkaProducerInstrumentation());
  }
}
