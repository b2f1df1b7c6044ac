package dev.meshaware.agent.library.kafka;

import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.CurrentHeaders;
import dev.meshaware.core.propagation.HeaderPolicy;
import dev.meshaware.core.propagation.ProcessedRecords;
import dev.meshaware.core.propagation.Propagation;
import dev.meshaware.core.propagation.RecordHeaderValues;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * What the Kafka advice does, defined in Kafka's class loader. Every method catches what it could
 * throw and hands back the application's own object: nothing meshaware does may fail a send or a
 * poll.
 */
public final class KafkaRecords {
  private KafkaRecords() {}

  /**
   * The record to send: {@code record} itself when nothing is to be added, else a copy carrying the
   * current trace headers that the record lacks (names compared ignoring case). The application's
   * record, and its headers, are never changed: it may send the same record again, from another
   * request, and Kafka makes a sent record's headers read-only.
   */
  public static ProducerRecord<?, ?> withHeaders(ProducerRecord<?, ?> record) {
    if (record == null) {
      return null;
    }
    try {
      CapturedHeaders forwarded = Propagation.forTopic(record.topic());
      if (forwarded == null) {
        return record;
      }
      HeaderPolicy policy = Propagation.policy();
      Header[] existing = record.headers().toArray();
      boolean[] present = new boolean[forwarded.size()];
      int missing = forwarded.size();
      for (Header header : existing) {
        String key = header.key();
        for (int i = 0; i < present.length; i++) {
          if (!present[i] && forwarded.name(i).equalsIgnoreCase(key)) {
            present[i] = true;
            missing--;
          }
        }
      }
      if (missing == 0 || policy == null) {
        return record;
      }
      RecordHeaders headers = new RecordHeaders(existing);
      for (int i = 0; i < present.length; i++) {
        if (!present[i]) {
          headers.add(forwarded.name(i), RecordHeaderValues.encode(forwarded.value(i)));
        }
      }
      return copy(record, headers);
    } catch (RuntimeException unexpected) {
      return record;
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static ProducerRecord<?, ?> copy(ProducerRecord record, Headers headers) {
    return new ProducerRecord(
        record.topic(),
        record.partition(),
        record.timestamp(),
        record.key(),
        record.value(),
        headers);
  }

  /**
   * The callback to hand Kafka: one that runs {@code callback} with the headers current now (the
   * request that sent the record owns its completion), or {@code callback} itself when none are.
   */
  public static Callback owned(Callback callback) {
    if (callback == null) {
      return null;
    }
    CapturedHeaders owner = Propagation.forCall();
    return owner == null ? callback : new OwnedCallback(callback, owner);
  }

  /**
   * The consumer's iterator handed out {@code handedOut} (null: it has no more): processing of the
   * record before it ends on this thread, and that of this one begins.
   */
  public static void handedOut(Object handedOut) {
    HeaderPolicy policy = Propagation.policy();
    if (policy == null || policy.nameCount() == 0) {
      return;
    }
    if (!(handedOut instanceof ConsumerRecord)) {
      ProcessedRecords.end();
      return;
    }
    if (ProcessedRecords.isCurrent(handedOut)) {
      return;
    }
    ConsumerRecord<?, ?> record = (ConsumerRecord<?, ?>) handedOut;
    ProcessedRecords.begin(capture(policy, record.headers(), record.topic()), record);
  }

  /** The trace headers of a record's {@code headers}, or null; never throws. */
  public static CapturedHeaders capture(HeaderPolicy policy, Headers headers, String topic) {
    if (headers == null) {
      return null;
    }
    try {
      String[] raw = null;
      for (Header header : headers) {
        String key = header.key();
        if (key != null && policy.indexOf(key) >= 0) {
          if (raw == null) {
            raw = RecordHeaderValues.newRaw(policy);
          }
          RecordHeaderValues.read(policy, raw, key, header.value(), where(topic));
        }
      }
      return raw == null ? null : policy.capture(raw);
    } catch (RuntimeException unexpected) {
      return null;
    }
  }

  private static String where(String topic) {
    return topic == null ? "a record" : "a record of topic " + topic;
  }

  /**
   * Opens the scope of a record processed inside one call (a Kafka Streams source node); null when
   * propagation is off. Close it with {@link #close}.
   */
  public static CurrentHeaders.Scope open(Object record, Headers headers, String topic) {
    HeaderPolicy policy = Propagation.policy();
    if (policy == null || policy.nameCount() == 0) {
      return null;
    }
    return ProcessedRecords.open(capture(policy, headers, topic), record);
  }

  /** Closes a scope from {@link #open}; null is ignored. */
  public static void close(CurrentHeaders.Scope scope) {
    if (scope != null) {
      scope.close();
    }
  }
}
