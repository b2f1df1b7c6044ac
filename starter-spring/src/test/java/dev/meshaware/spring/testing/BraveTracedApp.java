package dev.meshaware.spring.testing;

import brave.Span;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** {@link MvcApp} with Micrometer Tracing's Brave bridge: records the client spans Brave ends. */
@Configuration(proxyBeanMethods = false)
@Import(MvcApp.class)
public class BraveTracedApp {
  @Bean
  SpanHandler clientSpans() {
    return new SpanHandler() {
      @Override
      public boolean end(TraceContext context, MutableSpan span, Cause cause) {
        if (span.kind() == Span.Kind.CLIENT) {
          ClientSpans.ended(
              context.traceIdString(), context.spanIdString(), context.parentIdString(), "01");
        }
        return true;
      }
    };
  }
}
