package dev.meshaware.spring.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.meshaware.spring.testing.ClientSpans;
import dev.meshaware.spring.testing.Downstream;
import dev.meshaware.spring.testing.Inbound;
import dev.meshaware.spring.testing.RunningApp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.util.ClassUtils;

/**
 * With Micrometer Tracing in the application as well, one subclass per bridge: the headers the
 * tracer injects win, with the ids of the client span it created for the call (recorded as the
 * tracer ends it), meshaware adds only what the tracer does not set (x-request-id, the other
 * propagation format, B3 single, the extra header) with the inbound values, and no header is sent
 * twice. A request without headers gets only the tracer's, also right after one that had them.
 */
abstract class MicrometerTracingTest {
  static Downstream downstream;
  static RunningApp app;

  /**
   * Starts {@code source} (MvcApp and a span recorder) with {@code tracing}'s bridge, when this
   * class path has it ({@code bridgeClass}): each bridge has a test run of its own.
   */
  static void start(
      RunningApp.Tracing tracing, String bridgeClass, Class<?> source, String propagation) {
    assumeTrue(
        ClassUtils.isPresent(bridgeClass, null),
        tracing + " is not on this class path (each bridge has a test run of its own)");
    downstream = new Downstream();
    app =
        RunningApp.start(
            WebApplicationType.SERVLET,
            source,
            tracing,
            "app.downstream=" + downstream.url(),
            "meshaware.propagation.extra-headers=" + Inbound.EXTRA,
            "management.tracing.propagation.type=" + propagation,
            "management.tracing.sampling.probability=1.0");
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
      app = null;
    }
    if (downstream != null) {
      downstream.close();
      downstream = null;
    }
  }

  /** The headers the tracer writes for {@code span} (traceId, spanId, parentId, flags). */
  abstract Map<String, String> tracerHeaders(Map<String, String> span);

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"resttemplate", "restclient", "webclient"})
  void tracersHeadersWinAndMeshawareAddsOnlyTheRest(String client) throws Exception {
    for (int round = 0; round < 2; round++) {
      Map<String, String> sent = inbound(round);
      String traced = "/traced-" + client + "-" + round;
      app.get("/call/" + client + "?path=" + traced, sent);
      String bare = "/bare-" + client + "-" + round;
      app.get("/call/" + client + "?path=" + bare, Map.of());

      LoggedRequest received = downstream.received(traced);
      String traceId = sent.get("x-b3-traceid");
      Map<String, String> tracer = tracerOf(received, traceId);
      assertThat(tracer.get("traceId")).as("the tracer continues the trace").isEqualTo(traceId);
      Map<String, String> expected = new LinkedHashMap<>(sent);
      expected.keySet().removeAll(Inbound.notForwarded().keySet());
      expected.putAll(tracerHeaders(tracer));
      for (Map.Entry<String, String> header : expected.entrySet()) {
        assertThat(Downstream.values(received, header.getKey()))
            .as(client + ": " + header.getKey())
            .containsExactly(header.getValue());
      }

      LoggedRequest plain = downstream.received(bare);
      Map<String, String> own = tracerOf(plain, null);
      assertThat(own.get("traceId")).as("a new trace").isNotEqualTo(traceId);
      Map<String, String> tracerOnly = tracerHeaders(own);
      for (String name : expected.keySet()) {
        List<String> values = Downstream.values(plain, name);
        if (tracerOnly.containsKey(name)) {
          assertThat(values).as(client + " bare: " + name).containsExactly(tracerOnly.get(name));
        } else {
          assertThat(values).as(client + " bare: " + name).isEmpty();
        }
      }
    }
  }

  /**
   * The client span the tracer ended for {@code received}, whose trace id it reads from the trace
   * header the tracer wrote ({@code expectedTraceId} when known).
   */
  private Map<String, String> tracerOf(LoggedRequest received, String expectedTraceId)
      throws InterruptedException {
    String traceId = expectedTraceId != null ? expectedTraceId : traceIdIn(received);
    Map<String, String> span = ClientSpans.of(traceId);
    assertThat(span).as("client span of trace " + traceId).isNotNull();
    return span;
  }

  /** The trace id in the tracer's own header of {@code received}. */
  abstract String traceIdIn(LoggedRequest received);

  /** Everything meshaware forwards, with a trace of its own per request. */
  private static Map<String, String> inbound(int round) {
    String traceId = hex(32);
    String spanId = hex(16);
    String parentId = hex(16);
    Map<String, String> headers = new LinkedHashMap<>(Inbound.all());
    headers.put("x-request-id", UUID.randomUUID().toString());
    headers.put("x-b3-traceid", traceId);
    headers.put("x-b3-spanid", spanId);
    headers.put("x-b3-parentspanid", parentId);
    headers.put("x-b3-sampled", "1");
    headers.put("b3", traceId + "-" + spanId + "-1-" + parentId);
    headers.put("traceparent", "00-" + traceId + "-" + spanId + "-01");
    headers.put(Inbound.EXTRA, "user-" + round);
    return headers;
  }

  private static String hex(int digits) {
    StringBuilder hex = new StringBuilder();
    while (hex.length() < digits) {
      hex.append(Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE));
    }
    return hex.substring(0, digits);
  }
}
