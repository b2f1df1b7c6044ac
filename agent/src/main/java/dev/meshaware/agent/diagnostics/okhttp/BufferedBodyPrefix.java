package dev.meshaware.agent.diagnostics.okhttp;

import dev.meshaware.core.diagnostics.MeshDiagnostics;
import dev.meshaware.core.diagnostics.OutboundExchange;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSource;

/**
 * The start of an HTTP/1 response body that OkHttp has already received: the bytes that came in
 * with the headers and sit in the connection's buffer, copied without being consumed. Nothing is
 * read from the socket and nothing waits; when the whole prefix the classifier wants is not there
 * yet, there is no prefix and the call is classified on status and headers. Remembered on the
 * thread that runs the call, for {@code RetryAndFollowUpInterceptor}'s advice to take when the call
 * returns.
 *
 * <p>Defined in OkHttp's class loader (it uses OkHttp and Okio); may use only them, core and the
 * JDK. The codec keeps its source in a private field ({@code source} in OkHttp 3.14 and 4, {@code
 * socket.getSource()} in 5): found once by reflection, and only for a status a sidecar may send.
 */
public final class BufferedBodyPrefix {
  private static final ThreadLocal<Object[]> REMEMBERED = new ThreadLocal<>();
  private static final Object NONE = new Object();

  /** The codec's source field, or the socket field whose getSource() gives it, or NONE. */
  private static volatile Object accessor;

  private static volatile Method socketSource;

  private BufferedBodyPrefix() {}

  /**
   * Remembers the body's start for {@code response}, just read by {@code codec}, when the
   * classifier would look at it and all of it is already buffered.
   */
  public static void remember(Object codec, Response response) {
    OutboundExchange probe = MeshDiagnostics.response("okhttp", response.code());
    if (probe == null || response.header("content-encoding") != null) {
      return;
    }
    probe.header("content-type", response.header("content-type"));
    probe.header("content-length", response.header("content-length"));
    if (!probe.wantsBody()) {
      return;
    }
    BufferedSource source = sourceOf(codec);
    if (source == null) {
      return;
    }
    Buffer buffer = source.buffer();
    int wanted = probe.bodyPeekBytes();
    if (buffer.size() < wanted) {
      return; // not all received yet: never wait for it
    }
    byte[] prefix = new byte[wanted];
    for (int i = 0; i < wanted; i++) {
      prefix[i] = buffer.getByte(i);
    }
    REMEMBERED.set(new Object[] {response.request().url().toString(), response.code(), prefix});
  }

  /**
   * The prefix remembered on this thread if it belongs to {@code response} (same URL and status),
   * else null; forgets it either way. Null {@code response}: just forgets.
   */
  public static byte[] take(Response response) {
    Object[] remembered = REMEMBERED.get();
    if (remembered == null) {
      return null;
    }
    REMEMBERED.remove();
    if (response == null
        || response.code() != (Integer) remembered[1]
        || !response.request().url().toString().equals(remembered[0])) {
      return null;
    }
    return (byte[]) remembered[2];
  }

  private static BufferedSource sourceOf(Object codec) {
    try {
      Object found = accessor;
      if (found == null) {
        found = findAccessor(codec.getClass());
        accessor = found;
      }
      if (found == NONE) {
        return null;
      }
      Object value = ((Field) found).get(codec);
      if (socketSource != null && value != null) {
        value = socketSource.invoke(value);
      }
      return value instanceof BufferedSource ? (BufferedSource) value : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      accessor = NONE;
      return null;
    }
  }

  private static Object findAccessor(Class<?> codecType) {
    for (Field field : codecType.getDeclaredFields()) {
      if (BufferedSource.class.isAssignableFrom(field.getType())) {
        field.setAccessible(true);
        return field;
      }
    }
    for (Field field : codecType.getDeclaredFields()) {
      if (field.getName().equals("socket")) {
        try {
          Method getSource = field.getType().getMethod("getSource");
          if (BufferedSource.class.isAssignableFrom(getSource.getReturnType())) {
            field.setAccessible(true);
            socketSource = getSource;
            return field;
          }
        } catch (NoSuchMethodException e) {
          return NONE;
        }
      }
    }
    return NONE;
  }
}
