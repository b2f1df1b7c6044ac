package dev.meshaware.core.propagation;

import dev.meshaware.core.log.MeshLog;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Trace headers carried as message headers (Kafka record headers: a name and a byte array each).
 * Values are forwarded byte for byte: a value is read when it is 1 to {@link
 * HeaderPolicy#MAX_VALUE_LENGTH} visible ASCII bytes, as an HTTP value must be, and written back as
 * the same bytes. Anything else (binary, non-ASCII, empty, null, oversized) is skipped with one
 * {@code DEBUG} line; nothing here throws.
 *
 * <p>Use: {@link #newRaw(HeaderPolicy)}, then {@link #read} for every header of the message, then
 * {@link HeaderPolicy#capture(String[])}.
 */
public final class RecordHeaderValues {
  /** Debug lines about skipped values, at most this many per process. */
  private static final int DEBUG_LINES = 100;

  private static final AtomicInteger DEBUG_WRITTEN = new AtomicInteger();

  private RecordHeaderValues() {}

  /** An array for {@link #read}, one slot per name of {@code policy}. */
  public static String[] newRaw(HeaderPolicy policy) {
    return new String[policy.nameCount()];
  }

  /**
   * Reads one message header into {@code raw} when {@code policy} names it (any case): a later
   * header of the same name replaces an earlier one, as Kafka's {@code lastHeader} reads them.
   * Returns false when the name is not one the policy reads. {@code topic} (null: unknown) names
   * the record's topic in the debug line about a skipped value.
   */
  public static boolean read(
      HeaderPolicy policy, String[] raw, String name, byte[] value, String topic) {
    if (name == null) {
      return false;
    }
    return readAt(policy.indexOf(name), raw, name, value, topic);
  }

  /**
   * {@link #read} for a header whose index in the policy's names the caller already looked up
   * ({@link HeaderPolicy#indexOf}); false when it is negative.
   */
  public static boolean readAt(int index, String[] raw, String name, byte[] value, String topic) {
    if (index < 0 || index >= raw.length) {
      return false;
    }
    String text = decode(value);
    if (text == null) {
      skipped(name, value, topic);
      raw[index] = null;
      return true;
    }
    raw[index] = text;
    return true;
  }

  /**
   * The value as text when it is 1 to {@link HeaderPolicy#MAX_VALUE_LENGTH} visible ASCII bytes or
   * spaces, else null.
   */
  public static String decode(byte[] value) {
    if (value == null || value.length == 0 || value.length > HeaderPolicy.MAX_VALUE_LENGTH) {
      return null;
    }
    for (byte b : value) {
      if (b < 0x20 || b > 0x7e) {
        return null;
      }
    }
    return new String(value, StandardCharsets.ISO_8859_1);
  }

  /**
   * For a record about to be sent with {@code forwarded}: marks {@code present[i]} when the
   * record's header {@code key} is forwarded header {@code i} (names compared ignoring case, as
   * HTTP compares them): the application set it, and its value wins. Returns how many it newly
   * marked, so that a caller counting down the missing ones knows when none is left.
   */
  public static int markPresent(CapturedHeaders forwarded, boolean[] present, String key) {
    int marked = 0;
    for (int i = 0; i < present.length; i++) {
      if (!present[i] && forwarded.name(i).equalsIgnoreCase(key)) {
        present[i] = true;
        marked++;
      }
    }
    return marked;
  }

  /** The bytes of a captured value (visible ASCII by construction). */
  public static byte[] encode(String value) {
    return value.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static void skipped(String name, byte[] value, String topic) {
    if (!MeshLog.isDebugEnabled()) {
      return;
    }
    int written = DEBUG_WRITTEN.incrementAndGet();
    if (written > DEBUG_LINES) {
      return;
    }
    String why;
    if (value == null) {
      why = "it is null";
    } else if (value.length == 0) {
      why = "it is empty";
    } else if (value.length > HeaderPolicy.MAX_VALUE_LENGTH) {
      why = "it is " + value.length + " bytes (at most " + HeaderPolicy.MAX_VALUE_LENGTH + ")";
    } else {
      why = "it is not visible ASCII (binary or another charset)";
    }
    MeshLog.debug(
        "record header '"
            + name
            + "' of "
            + (topic == null ? "a record" : "a record of topic " + topic)
            + " not forwarded: "
            + why
            + (written == DEBUG_LINES ? " (further skipped values are not logged)" : ""));
  }
}
