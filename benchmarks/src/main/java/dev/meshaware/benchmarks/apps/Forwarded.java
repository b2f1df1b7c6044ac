package dev.meshaware.benchmarks.apps;

import java.net.http.HttpRequest;
import java.util.function.UnaryOperator;

/** The inbound trace headers the benchmark apps send, and how the harness reads what arrived. */
public final class Forwarded {
  /** Printed before the description of what reached downstream. */
  public static final String PREFIX = "FORWARDED ";

  public static final String REQUEST_ID = "6a1e5b7c-2f3d-4e8a-9b0c-0123456789ab";
  public static final String TRACE_ID = "80f198ee56343ba864fe8b2a57d3eff7";
  public static final String SPAN_ID = "e457b5a2e4d86bd1";

  private Forwarded() {}

  /** Adds the inbound trace headers (B3 multi and a request id) to {@code request}. */
  public static HttpRequest.Builder inbound(HttpRequest.Builder request) {
    return request
        .header("x-request-id", REQUEST_ID)
        .header("x-b3-traceid", TRACE_ID)
        .header("x-b3-spanid", SPAN_ID)
        .header("x-b3-sampled", "1");
  }

  /**
   * What reached downstream, comma-separated: {@code request-id} (the inbound x-request-id), {@code
   * b3} (an x-b3-traceid, whoever made it), {@code same-trace} (the inbound trace id), or {@code
   * none}.
   */
  public static String describe(UnaryOperator<String> header) {
    StringBuilder text = new StringBuilder();
    if (REQUEST_ID.equals(header.apply("x-request-id"))) {
      text.append("request-id,");
    }
    String traceId = header.apply("x-b3-traceid");
    if (traceId != null) {
      text.append("b3,");
      if (TRACE_ID.equals(traceId)) {
        text.append("same-trace,");
      }
    }
    return text.length() == 0 ? "none" : text.substring(0, text.length() - 1);
  }
}
