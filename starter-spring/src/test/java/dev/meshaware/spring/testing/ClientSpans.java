package dev.meshaware.spring.testing;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client spans a tracer ended in a test application ({@link BraveTracedApp}, {@link
 * OpenTelemetryTracedApp}), by trace id: what the tracer's own headers on a call must carry.
 */
public final class ClientSpans {
  private static final Map<String, Map<String, String>> ENDED = new ConcurrentHashMap<>();

  private ClientSpans() {}

  static void ended(String traceId, String spanId, String parentId, String flags) {
    ENDED.put(
        traceId,
        Map.of("traceId", traceId, "spanId", spanId, "parentId", parentId, "flags", flags));
  }

  /**
   * The client span of trace {@code traceId} (traceId, spanId, parentId, flags: W3C trace flags),
   * waiting up to 10 s for the tracer to end it (WebClient's observation may end just after the
   * call returned); null when none ended.
   */
  public static Map<String, String> of(String traceId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    Map<String, String> span;
    while ((span = ENDED.get(traceId)) == null && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return span;
  }
}
