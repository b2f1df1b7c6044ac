package dev.meshaware.spring.propagation;

import brave.Span;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.meshaware.spring.testing.MvcApp;
import dev.meshaware.spring.testing.RunningApp;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Micrometer Tracing with the Brave bridge, B3 multi-header propagation. */
class MicrometerTracingBraveTest extends MicrometerTracingTest {

  @BeforeAll
  static void startApp() {
    start(RunningApp.Tracing.BRAVE, BraveApp.class, "b3_multi");
  }

  @Override
  Map<String, String> tracerHeaders(Map<String, String> span) {
    return Map.of(
        "x-b3-traceid", span.get("traceId"),
        "x-b3-spanid", span.get("spanId"),
        "x-b3-parentspanid", span.get("parentId"),
        "x-b3-sampled", "1");
  }

  @Override
  String traceIdIn(LoggedRequest received) {
    return received.getHeader("x-b3-traceid");
  }

  /** {@link MvcApp} with a recorder of the client spans Brave ends. */
  @Configuration(proxyBeanMethods = false)
  @Import(MvcApp.class)
  static class BraveApp {
    @Bean
    SpanHandler clientSpans() {
      return new SpanHandler() {
        @Override
        public boolean end(TraceContext context, MutableSpan span, Cause cause) {
          if (span.kind() == Span.Kind.CLIENT) {
            CLIENT_SPANS.put(
                context.traceIdString(),
                new String[] {context.spanIdString(), context.parentIdString(), "01"});
          }
          return true;
        }
      };
    }
  }
}
