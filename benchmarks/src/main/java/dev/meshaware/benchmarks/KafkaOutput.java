package dev.meshaware.benchmarks;

import dev.meshaware.benchmarks.apps.KafkaRecords;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What reached an output topic of the Kafka benchmark: how many records carry all the trace headers
 * of their own input record (recognized by the request id their value starts with), and how many
 * carry any trace header but not exactly their own (another record's, or one twice).
 */
final class KafkaOutput implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;

  KafkaOutput(String bootstrap) {
    Properties properties = KafkaBenchmark.client(bootstrap);
    properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    consumer = new KafkaConsumer<>(properties);
  }

  record Seen(long records, long ownHeaders, long otherHeaders) {}

  Seen read(String topic) {
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .collect(Collectors.toList());
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    long records = 0;
    long own = 0;
    long other = 0;
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("could not read " + topic + " to its end");
      }
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        records++;
        String id = KafkaRecords.requestIdOf(record.value());
        boolean any = false;
        boolean all =
            id != null && id.equals(KafkaRecords.header(record.headers(), "x-request-id"));
        for (String name : KafkaRecords.TRACE_HEADERS) {
          int count = 0;
          for (var ignored : record.headers().headers(name)) {
            count++;
          }
          any |= count > 0;
          all &= count == 1; // missing or duplicated: not the input's headers
        }
        if (all) {
          own++;
        } else if (any) {
          other++;
        }
      }
    }
    consumer.unsubscribe();
    return new Seen(records, own, other);
  }

  @Override
  public void close() {
    consumer.close();
  }
}
