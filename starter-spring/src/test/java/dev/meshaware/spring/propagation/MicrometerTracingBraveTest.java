package dev.meshaware.spring.propagation;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.meshaware.spring.testing.BraveTracedApp;
import dev.meshaware.spring.testing.RunningApp;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;

/** Micrometer Tracing with the Brave bridge, B3 multi-header propagation. */
class MicrometerTracingBraveTest extends MicrometerTracingTest {

  @BeforeAll
  static void startApp() {
    start(RunningApp.Tracing.BRAVE, "brave.handler.SpanHandler", BraveTracedApp.class, "b3_multi");
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
}
