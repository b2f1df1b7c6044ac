package dev.meshaware.spring.propagation;

import dev.meshaware.core.log.MeshLog;
import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.HeaderPolicy;
import dev.meshaware.core.propagation.ProcessedRecords;
import dev.meshaware.core.propagation.Propagation;
import dev.meshaware.core.propagation.RecordHeaderValues;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.listener.RecordInterceptor;

/**
 * Makes a record's trace headers the current ones while a single-record listener processes it: from
 * {@link #intercept} (before the listener) to {@link #afterRecord} (after it, whether it succeeded,
 * failed or was skipped), so the calls and records the listener makes carry them. A record without
 * headers makes nothing current. When processing ends nothing of the record remains on the
 * container's thread; if a record's end was never signalled (an error handler that threw), the next
 * record's start, or the thread's end ({@link #clearThreadState}), ends it (core's {@link
 * ProcessedRecords}).
 *
 * <p>Batch listeners do not go through record interceptors: nothing is current while they run.
 *
 * <p>To add it to a listener container factory the starter does not reach, put it first in the
 * factory's interceptors: {@code factory.setRecordInterceptor(new CompositeRecordInterceptor<>(new
 * RecordHeadersRecordInterceptor<>(), yours))}.
 */
public final class RecordHeadersRecordInterceptor<K, V> implements RecordInterceptor<K, V> {

  @Override
  public ConsumerRecord<K, V> intercept(ConsumerRecord<K, V> record, Consumer<K, V> consumer) {
    try {
      HeaderPolicy policy = Propagation.policy();
      if (policy != null) {
        ProcessedRecords.begin(headersOf(policy, record), record);
      }
    } catch (RuntimeException e) {
      MeshLog.debug(
          "could not read the forwarded headers of a record of " + record.topic() + ": " + e);
    }
    return record;
  }

  @Override
  public void afterRecord(ConsumerRecord<K, V> record, Consumer<K, V> consumer) {
    ProcessedRecords.end();
  }

  @Override
  public void clearThreadState(Consumer<?, ?> consumer) {
    ProcessedRecords.end();
  }

  private static CapturedHeaders headersOf(HeaderPolicy policy, ConsumerRecord<?, ?> record) {
    String[] raw = RecordHeaderValues.newRaw(policy);
    boolean any = false;
    for (Header header : record.headers()) {
      any |= RecordHeaderValues.read(policy, raw, header.key(), header.value(), record.topic());
    }
    return any ? policy.capture(raw) : null;
  }
}
