package dev.meshaware.spring.propagation;

import dev.meshaware.core.log.MeshLog;
import dev.meshaware.core.propagation.CapturedHeaders;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Adds the current request's trace headers to a {@code RestTemplate} or {@code RestClient} call. A
 * header already on the call (set by the application, or by Micrometer Tracing or OpenTelemetry,
 * which write theirs before interceptors run) is kept as it is and never duplicated.
 *
 * <p>It sees the first request of the call only: when the HTTP client under Spring follows a
 * redirect itself, the next request carries what this one carried, to the host the redirect names
 * (see the README, "Spring Boot starter"; the agent checks every request).
 */
public final class HeaderForwardingInterceptor implements ClientHttpRequestInterceptor {
  private final RequestHeaders requestHeaders;

  public HeaderForwardingInterceptor(RequestHeaders requestHeaders) {
    this.requestHeaders = requestHeaders;
  }

  @Override
  public ClientHttpResponse intercept(
      HttpRequest request, byte[] body, ClientHttpRequestExecution execution) throws IOException {
    CapturedHeaders headers = requestHeaders.forUri(request.getURI());
    if (headers != null) {
      addMissing(headers, request.getHeaders());
    }
    return execution.execute(request, body);
  }

  /** Adds each captured header {@code target} lacks; a failure costs the headers, not the call. */
  static void addMissing(CapturedHeaders headers, HttpHeaders target) {
    try {
      for (int i = 0; i < headers.size(); i++) {
        if (target.getFirst(headers.name(i)) == null) {
          target.add(headers.name(i), headers.value(i));
        }
      }
    } catch (RuntimeException e) {
      MeshLog.debug("could not add forwarded headers to an outbound call: " + e);
    }
  }
}
