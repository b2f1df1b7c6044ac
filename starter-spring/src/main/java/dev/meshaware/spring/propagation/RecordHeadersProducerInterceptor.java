package dev.meshaware.spring.propagation;

import dev.meshaware.core.log.MeshLog;
import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.Propagation;
import dev.meshaware.core.propagation.RecordHeaderValues;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Adds the current request's trace headers to each record a producer sends, as Kafka's own {@code
 * interceptor.classes} entry (see {@link KafkaProducerFactoryCustomizing}): Kafka calls it on the
 * thread that sends, before the record is serialized, for {@code KafkaTemplate} and for any other
 * use of a producer the factory made.
 *
 * <p>The application's record is never changed: when headers are missing the producer sends a copy
 * carrying the application's headers followed by the missing ones. A header already on the record
 * (any case: set by the application, by an interceptor listed before this one, or by Micrometer or
 * OpenTelemetry) is kept and never duplicated. Records to topics excluded by {@code
 * meshaware.propagation.exclude-topics} get nothing (core decides, {@link Propagation#forTopic}).
 */
public final class RecordHeadersProducerInterceptor implements ProducerInterceptor<Object, Object> {

  /** Kafka creates it by its class (no-argument constructor). */
  public RecordHeadersProducerInterceptor() {}

  @Override
  public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
    try {
      CapturedHeaders headers = Propagation.forTopic(record.topic());
      return headers == null || CompletionCallbacks.callInAnotherCompletion()
          ? record
          : withMissing(record, headers);
    } catch (RuntimeException e) {
      // Kafka would log and carry on; say it the house's way and send the record as it is.
      MeshLog.debug("could not add forwarded headers to a record for " + record.topic() + ": " + e);
      return record;
    }
  }

  private static ProducerRecord<Object, Object> withMissing(
      ProducerRecord<Object, Object> record, CapturedHeaders headers) {
    Header[] own = record.headers().toArray();
    boolean[] present = new boolean[headers.size()];
    int missing = headers.size();
    for (Header header : own) {
      missing -= RecordHeaderValues.markPresent(headers, present, header.key());
    }
    if (missing == 0) {
      return record;
    }
    RecordHeaders copy = new RecordHeaders(own);
    for (int i = 0; i < present.length; i++) {
      if (!present[i]) {
        copy.add(headers.name(i), RecordHeaderValues.encode(headers.value(i)));
      }
    }
    return new ProducerRecord<>(
        record.topic(), record.partition(), record.timestamp(), record.key(), record.value(), copy);
  }

  @Override
  public void onAcknowledgement(RecordMetadata metadata, Exception exception) {}

  @Override
  public void close() {}

  @Override
  public void configure(Map<String, ?> configs) {}
}
