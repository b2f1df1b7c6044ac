package dev.meshaware.spring.propagation;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.meshaware.spring.testing.MvcApp;
import dev.meshaware.spring.testing.RunningApp;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Micrometer Tracing with the OpenTelemetry bridge and Boot's OpenTelemetry SDK, W3C propagation
 * (Boot's default).
 */
class MicrometerTracingOpenTelemetryTest extends MicrometerTracingTest {

  @BeforeAll
  static void startApp() {
    start(RunningApp.Tracing.OPENTELEMETRY, OpenTelemetryApp.class, "w3c");
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

  /** {@link MvcApp} with a recorder of the client spans the SDK ends. */
  @Configuration(proxyBeanMethods = false)
  @Import(MvcApp.class)
  static class OpenTelemetryApp {
    @Bean
    SpanProcessor clientSpans() {
      return new SpanProcessor() {
        @Override
        public void onStart(Context parent, ReadWriteSpan span) {}

        @Override
        public boolean isStartRequired() {
          return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {
          if (span.getKind() == SpanKind.CLIENT) {
            CLIENT_SPANS.put(
                span.getSpanContext().getTraceId(),
                new String[] {
                  span.getSpanContext().getSpanId(),
                  span.getParentSpanContext().getSpanId(),
                  span.getSpanContext().getTraceFlags().asHex()
                });
          }
        }

        @Override
        public boolean isEndRequired() {
          return true;
        }
      };
    }
  }
}
