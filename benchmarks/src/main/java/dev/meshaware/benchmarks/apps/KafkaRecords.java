package dev.meshaware.benchmarks.apps;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The records of the Kafka benchmark: input records as 50 interleaved requests left them (each with
 * its request's {@code x-request-id}, B3 and {@code traceparent} headers, and its request id at the
 * start of the value, so that an output record shows whether it got its own input's headers), and
 * the plain records of the produce phase.
 */
public final class KafkaRecords {
  /** Bytes of every value. */
  public static final int VALUE_BYTES = 300;

  /** Interleaved requests the input records come from. */
  public static final int REQUESTS = 50;

  /** The trace headers every input record carries. */
  public static final String[] TRACE_HEADERS = {
    "x-request-id", "x-b3-traceid", "x-b3-spanid", "x-b3-sampled", "traceparent"
  };

  private static final byte[][] KEYS = new byte[1000][];
  private static final byte[] PLAIN = new byte[VALUE_BYTES];

  static {
    for (int i = 0; i < KEYS.length; i++) {
      KEYS[i] = ("order-" + i).getBytes(StandardCharsets.US_ASCII);
    }
    for (int i = 0; i < PLAIN.length; i++) {
      PLAIN[i] = (byte) ('a' + i % 26);
    }
  }

  private KafkaRecords() {}

  public static byte[] key(int i) {
    return KEYS[i % KEYS.length];
  }

  /** A fresh value, as an application serializes one per record. */
  public static byte[] plainValue(int i) {
    byte[] value = Arrays.copyOf(PLAIN, PLAIN.length);
    value[0] = (byte) i;
    return value;
  }

  /** The {@code i}-th input record: from request {@code i % REQUESTS}, with its trace headers. */
  public static ProducerRecord<byte[], byte[]> traced(String topic, int i) {
    int request = i % REQUESTS;
    String requestId = requestId(request);
    byte[] value = plainValue(i);
    byte[] id = (requestId + "|").getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(id, 0, value, 0, id.length);
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, key(i), value);
    String traceId = String.format(Locale.ROOT, "80f198ee56343ba8%016x", request);
    String spanId = String.format(Locale.ROOT, "e457b5a2%08x", i);
    Headers headers = record.headers();
    headers.add("x-request-id", ascii(requestId));
    headers.add("x-b3-traceid", ascii(traceId));
    headers.add("x-b3-spanid", ascii(spanId));
    headers.add("x-b3-sampled", ascii("1"));
    headers.add("traceparent", ascii("00-" + traceId + "-" + spanId + "-01"));
    return record;
  }

  public static String requestId(int request) {
    return String.format(Locale.ROOT, "%08x-2f3d-4e8a-9b0c-%012x", request, request);
  }

  /** The request id a value starts with (before {@code |}), or null. */
  public static String requestIdOf(byte[] value) {
    for (int i = 0; i < Math.min(64, value.length); i++) {
      if (value[i] == '|') {
        return new String(value, 0, i, StandardCharsets.US_ASCII);
      }
    }
    return null;
  }

  /** The last value of header {@code name} as text, or null. */
  public static String header(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.US_ASCII);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
