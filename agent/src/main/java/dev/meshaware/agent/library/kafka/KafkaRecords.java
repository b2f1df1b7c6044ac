package dev.meshaware.agent.library.kafka;

import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.CurrentHeaders;
import dev.meshaware.core.propagation.HeaderPolicy;
import dev.meshaware.core.propagation.ProcessedRecords;
import dev.meshaware.core.propagation.Propagation;
import dev.meshaware.core.propagation.RecordHeaderValues;
import java.util.Arrays;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
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
        missing -= RecordHeaderValues.markPresent(forwarded, present, header.key());
      }
      if (missing == 0 || policy == null) {
        return record;
      }
      Header[] sent = Arrays.copyOf(existing, existing.length + missing);
      int next = existing.length;
      for (int i = 0; i < present.length; i++) {
        if (!present[i]) {
          sent[next++] =
              new RecordHeader(forwarded.name(i), RecordHeaderValues.encode(forwarded.value(i)));
        }
      }
      // The record's constructor copies the headers once into its own.
      return copy(record, Arrays.asList(sent));
    } catch (RuntimeException unexpected) {
      return record;
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static ProducerRecord<?, ?> copy(ProducerRecord record, Iterable<Header> headers) {
    return new ProducerRecord(
        record.topic(),
        record.partition(),
        record.timestamp(),
        record.key(),
        record.value(),
        headers);
  }

  /**
   * After Kafka sent {@code sent}, the copy of the application's {@code original}: the headers
   * Kafka's serializers added to the copy (a JSON serializer's type id) are added to the
   * application's record too, and its headers are made read-only, as without meshaware. Meshaware's
   * own headers are not: they follow the application's in the copy and come before the
   * serializers'.
   */
  public static void sent(ProducerRecord<?, ?> original, ProducerRecord<?, ?> sent) {
    if (original == null || sent == null || original == sent) {
      return;
    }
    try {
      HeaderPolicy policy = Propagation.policy();
      Header[] theirs = original.headers().toArray();
      Header[] all = sent.headers().toArray();
      int next = theirs.length;
      while (next < all.length && policy != null && policy.indexOf(all[next].key()) >= 0) {
        next++;
      }
      for (; next < all.length; next++) {
        original.headers().add(all[next]);
      }
      if (original.headers() instanceof RecordHeaders) {
        ((RecordHeaders) original.headers()).setReadOnly();
      }
    } catch (RuntimeException unexpected) {
      // the application's record stays as it was
    }
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
    if (!(handedOut instanceof ConsumerRecord) || ProcessedRecords.readingAhead()) {
      ProcessedRecords.end();
      return;
    }
    if (Propagation.isCurrent(handedOut)) {
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
        int index = key == null ? -1 : policy.indexOf(key);
        if (index >= 0) {
          if (raw == null) {
            raw = RecordHeaderValues.newRaw(policy);
          }
          RecordHeaderValues.readAt(index, raw, key, header.value(), topic);
        }
      }
      return raw == null ? null : policy.capture(raw);
    } catch (RuntimeException unexpected) {
      return null;
    }
  }

  /**
   * Opens the scope of a record processed inside one call (a Kafka Streams node's {@code process}):
   * its own headers are current for that call. Null (nothing to close) when propagation is off, or
   * when the innermost scope is already that of the same headers (a node called by the node before
   * it with the same record context): every node opens one for a record forwarded from elsewhere,
   * such as a result a cache evicts while another record is processed.
   */
  public static CurrentHeaders.Scope open(Headers headers) {
    HeaderPolicy policy = Propagation.policy();
    if (policy == null || policy.nameCount() == 0 || headers == null) {
      return null;
    }
    if (Propagation.isCurrent(headers)) {
      return null;
    }
    return ProcessedRecords.open(capture(policy, headers, null), headers);
  }

  /** Closes a scope from {@link #open}; null is ignored. */
  public static void close(CurrentHeaders.Scope scope) {
    if (scope != null) {
      scope.close();
    }
  }
}
