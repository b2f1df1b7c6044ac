package dev.meshaware.spring.testing;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * {@link MvcApp} with Micrometer Tracing's OpenTelemetry bridge and Boot's OpenTelemetry SDK:
 * records the client spans the SDK ends.
 */
@Configuration(proxyBeanMethods = false)
@Import(MvcApp.class)
public class OpenTelemetryTracedApp {
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
          ClientSpans.ended(
              span.getSpanContext().getTraceId(),
              span.getSpanContext().getSpanId(),
              span.getParentSpanContext().getSpanId(),
              span.getSpanContext().getTraceFlags().asHex());
        }
      }

      @Override
      public boolean isEndRequired() {
        return true;
      }
    };
  }
}
