package dev.meshaware.spring.propagation;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.meshaware.spring.testing.OpenTelemetryTracedApp;
import dev.meshaware.spring.testing.RunningApp;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.util.ClassUtils;

/**
 * Micrometer Tracing with the OpenTelemetry bridge and Boot's OpenTelemetry SDK, W3C propagation
 * (Boot's default). It has a test run of its own (surefire's {@code opentelemetry-tracing}
 * execution), on a class path without Brave.
 */
class MicrometerTracingOpenTelemetryTest extends MicrometerTracingTest {

  @BeforeAll
  static void startApp() {
    assumeTrue(
        ClassUtils.isPresent("io.opentelemetry.sdk.trace.SpanProcessor", null),
        "the OpenTelemetry bridge is not on this class path (each bridge has a test run of its own)");
    start(RunningApp.Tracing.OPENTELEMETRY, OpenTelemetryTracedApp.class, "w3c");
  }

  @Override
  Map<String, String> tracerHeaders(Map<String, String> span) {
    // The flags are the span's: OpenTelemetry 1.62 (Boot 4.1) marks a trace id it made random (03).
    return Map.of(
        "traceparent",
        "00-" + span.get("traceId") + "-" + span.get("spanId") + "-" + span.get("flags"));
  }

  @Override
  String traceIdIn(LoggedRequest received) {
    return received.getHeader("traceparent").split("-")[1];
  }
}
