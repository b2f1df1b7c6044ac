package dev.meshaware.spring.propagation;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.meshaware.spring.testing.OpenTelemetryTracedApp;
import dev.meshaware.spring.testing.RunningApp;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;

/**
 * Micrometer Tracing with the OpenTelemetry bridge and Boot's OpenTelemetry SDK, W3C propagation
 * (Boot's default). It has a test run of its own (surefire's {@code opentelemetry-tracing}
 * execution), on a class path without Brave.
 */
class MicrometerTracingOpenTelemetryTest extends MicrometerTracingTest {

  @BeforeAll
  static void startApp() {
    start(
        RunningApp.Tracing.OPENTELEMETRY,
        "io.opentelemetry.sdk.trace.SpanProcessor",
        OpenTelemetryTracedApp.class,
        "w3c");
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
