package dev.meshaware.agent.propagation.grpc;

import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.HeaderPolicy;
import dev.meshaware.core.propagation.Propagation;
import io.grpc.Metadata;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Captured headers as gRPC {@link Metadata}, both ways. Defined in the application's class loader
 * beside gRPC (see {@link dev.meshaware.agent.propagation.GrpcServerInstrumentation}).
 *
 * <p>Binary keys ({@code grpc-trace-bin}, any name ending in {@code -bin}) hold bytes in gRPC and
 * base64 text on the HTTP/2 wire, so meshaware carries them as that text: read from gRPC, the bytes
 * become unpadded base64 (what grpc-java itself puts on the wire); written to gRPC, the text must
 * be canonical base64, padded or not, and then the same bytes arrive downstream. Text that is not
 * canonical base64 would reach the next hop altered, so it is not forwarded to gRPC at all.
 */
public final class GrpcMetadata {
  private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
  private static volatile Keys keys;

  private GrpcMetadata() {}

  /** The values of {@code policy}'s names in {@code headers}, in policy order, null if absent. */
  public static String[] read(Metadata headers, HeaderPolicy policy) {
    Keys known = keysFor(policy);
    String[] raw = new String[policy.nameCount()];
    for (int i = 0; i < raw.length; i++) {
      Metadata.Key<?> key = known.byName.get(policy.name(i));
      Iterable<?> values = key == null ? null : headers.getAll(key);
      Iterator<?> first = values == null ? null : values.iterator();
      if (first != null && first.hasNext()) {
        // The first value, as the HTTP servers' getHeader() gives.
        Object value = first.next();
        raw[i] = value instanceof byte[] ? ENCODER.encodeToString((byte[]) value) : (String) value;
      }
    }
    return raw;
  }

  /**
   * {@code headers} with each captured header it lacks: a copy when something is added, because the
   * application may pass the same {@code Metadata} to another call; {@code headers} itself when
   * nothing is.
   */
  public static Metadata withMissing(Metadata headers, CapturedHeaders captured) {
    HeaderPolicy policy = Propagation.policy();
    if (policy == null) {
      return headers;
    }
    Keys known = keysFor(policy);
    Metadata copy = null;
    for (int i = 0; i < captured.size(); i++) {
      Metadata.Key<?> key = known.byName.get(captured.name(i));
      if (key == null || headers.containsKey(key)) {
        continue;
      }
      Object value = toMetadata(key, captured.value(i));
      if (value == null) {
        continue;
      }
      if (copy == null) {
        copy = new Metadata();
        copy.merge(headers);
      }
      put(copy, key, value);
    }
    return copy == null ? headers : copy;
  }

  private static Object toMetadata(Metadata.Key<?> key, String text) {
    if (!key.name().endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
      return text;
    }
    int end = text.length();
    while (end > 0 && text.charAt(end - 1) == '=') {
      end--;
    }
    String unpadded = text.substring(0, end);
    try {
      byte[] bytes = Base64.getDecoder().decode(unpadded);
      return ENCODER.encodeToString(bytes).equals(unpadded) ? bytes : null;
    } catch (IllegalArgumentException notBase64) {
      return null;
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void put(Metadata metadata, Metadata.Key<T> key, Object value) {
    metadata.put(key, (T) value);
  }

  private static Keys keysFor(HeaderPolicy policy) {
    Keys current = keys;
    if (current == null || current.policy != policy) {
      current = new Keys(policy);
      keys = current;
    }
    return current;
  }

  /** One metadata key per policy name that gRPC accepts as a key name. */
  private static final class Keys {
    final HeaderPolicy policy;
    final Map<String, Metadata.Key<?>> byName = new HashMap<>();

    Keys(HeaderPolicy policy) {
      this.policy = policy;
      for (int i = 0; i < policy.nameCount(); i++) {
        String name = policy.name(i);
        try {
          byName.put(
              name,
              name.endsWith(Metadata.BINARY_HEADER_SUFFIX)
                  ? Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER)
                  : Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
        } catch (IllegalArgumentException invalidForGrpc) {
          // An HTTP token gRPC does not allow in a key (say '!' or '%'): such a header cannot be
          // carried over gRPC, in either direction.
        }
      }
    }
  }
}
