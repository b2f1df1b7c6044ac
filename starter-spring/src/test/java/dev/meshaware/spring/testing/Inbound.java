package dev.meshaware.spring.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a request arriving through the inbound sidecar carries, and what must never go on. */
public final class Inbound {
  private Inbound() {}

  /** The extra header the tests name in {@code meshaware.propagation.extra-headers}. */
  public static final String EXTRA = "end-user";

  /** Headers meshaware forwards: Envoy's request id and B3, W3C, and the extra header. */
  public static Map<String, String> forwarded() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-request-id", "7c1d1f2e-8a3b-4c5d-9e6f-0a1b2c3d4e5f");
    headers.put("x-b3-traceid", "80f198ee56343ba864fe8b2a57d3eff7");
    headers.put("x-b3-spanid", "e457b5a2e4d86bd1");
    headers.put("x-b3-parentspanid", "05e3ac9a4f6e3b90");
    headers.put("x-b3-sampled", "1");
    headers.put("traceparent", "00-80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-01");
    headers.put(EXTRA, "jason");
    return headers;
  }

  /** Headers that arrive with the request but are never forwarded. */
  public static Map<String, String> notForwarded() {
    return Map.of("x-envoy-attempt-count", "1", "authorization", "Bearer secret");
  }

  /** Everything the test client sends. */
  public static Map<String, String> all() {
    Map<String, String> headers = new LinkedHashMap<>(forwarded());
    headers.putAll(notForwarded());
    return headers;
  }

  /** The names of {@link #forwarded()}. */
  public static List<String> forwardedNames() {
    return List.copyOf(forwarded().keySet());
  }
}
