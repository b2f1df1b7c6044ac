package dev.meshaware.spring.diagnostics;

import dev.meshaware.core.diagnostics.MeshDiagnostics;
import dev.meshaware.core.diagnostics.OutboundExchange;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Shows core's classifier what a {@code RestTemplate} or {@code RestClient} call got back: the
 * status and the headers Envoy sets, and for a short plain-text answer (Envoy's {@code no healthy
 * upstream}) its body, read once and handed on to the application unchanged. What the application
 * sees never changes; only the log line and the counters are added.
 */
public final class MeshDiagnosticsInterceptor implements ClientHttpRequestInterceptor {
  /** Who installs core's diagnostics when the agent does not. */
  static final String OWNER = "starter";

  private static final String CLIENT = "spring-restclient";

  @Override
  public ClientHttpResponse intercept(
      HttpRequest request, byte[] body, ClientHttpRequestExecution execution) throws IOException {
    ClientHttpResponse response;
    try {
      response = execution.execute(request, body);
    } catch (IOException | RuntimeException e) {
      if (ours()) {
        OutboundExchange exchange = MeshDiagnostics.failure(CLIENT, e);
        if (exchange != null) {
          exchange.request(
              request.getMethod().name(), request.getURI().toString(), requestId(request));
          MeshDiagnostics.record(exchange);
        }
      }
      throw e;
    }
    if (!ours()) {
      return response;
    }
    try {
      return observe(request, response);
    } catch (IOException | RuntimeException e) {
      // The classifier is never worth a failed call; a body read that failed fails the same way
      // when the application reads it.
      return response;
    }
  }

  private static ClientHttpResponse observe(HttpRequest request, ClientHttpResponse response)
      throws IOException {
    OutboundExchange exchange = MeshDiagnostics.response(CLIENT, response.getStatusCode().value());
    if (exchange == null) {
      return response; // a status no sidecar sends: nothing allocated, nothing read
    }
    exchange.request(request.getMethod().name(), request.getURI().toString(), requestId(request));
    HttpHeaders headers = response.getHeaders();
    for (String name : OutboundExchange.RESPONSE_HEADERS) {
      exchange.header(name, headers.getFirst(name));
    }
    ClientHttpResponse handedOn = response;
    if (exchange.wantsBody()) {
      // Known, small, plain text: read it whole and give the application the same bytes.
      byte[] bytes = response.getBody().readAllBytes();
      exchange.body(new String(bytes, StandardCharsets.UTF_8));
      handedOn = new BufferedResponse(response, bytes);
    }
    MeshDiagnostics.record(exchange);
    return handedOn;
  }

  /** Only while the starter owns diagnostics: the agent observes the clients underneath itself. */
  static boolean ours() {
    return OWNER.equals(MeshDiagnostics.installedBy());
  }

  private static String requestId(HttpRequest request) {
    return request.getHeaders().getFirst("x-request-id");
  }

  /** The response with its body already read into memory. */
  private static final class BufferedResponse implements ClientHttpResponse {
    private final ClientHttpResponse delegate;
    private final byte[] body;

    BufferedResponse(ClientHttpResponse delegate, byte[] body) {
      this.delegate = delegate;
      this.body = body;
    }

    @Override
    public HttpStatusCode getStatusCode() throws IOException {
      return delegate.getStatusCode();
    }

    @Override
    public String getStatusText() throws IOException {
      return delegate.getStatusText();
    }

    @Override
    public void close() {
      delegate.close();
    }

    @Override
    public InputStream getBody() {
      return new ByteArrayInputStream(body);
    }

    @Override
    public HttpHeaders getHeaders() {
      return delegate.getHeaders();
    }
  }
}
