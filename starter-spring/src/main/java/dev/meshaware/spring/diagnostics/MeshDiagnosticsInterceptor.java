package dev.meshaware.spring.diagnostics;

import dev.meshaware.core.diagnostics.MeshDiagnostics;
import dev.meshaware.core.diagnostics.OutboundExchange;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Shows core's classifier what a {@code RestTemplate} or {@code RestClient} call got back: the
 * status and the headers Envoy sets, and for a short plain-text answer (Envoy's {@code no healthy
 * upstream}) the start of its body as the application reads it. Nothing is read that the
 * application does not read, and nothing waits: the call returns when the client returns, and the
 * body reaches the application byte for byte as the client delivers it. Only the log line and the
 * counters are added.
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
      return response; // the classifier is never worth a failed call
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
    if (!exchange.wantsBody()) {
      MeshDiagnostics.record(exchange);
      return response;
    }
    // Maybe one of Envoy's replies: recorded once the application has read its start, or when it
    // closes the response without reading it (then on status and headers alone).
    return new ObservedResponse(response, new BodyPrefixObserver(exchange));
  }

  /** Only while the starter owns diagnostics: the agent observes the clients underneath itself. */
  static boolean ours() {
    return OWNER.equals(MeshDiagnostics.installedBy());
  }

  private static String requestId(HttpRequest request) {
    return request.getHeaders().getFirst("x-request-id");
  }

  /** The client's response, its body stream shown to the observer as the application reads it. */
  private static final class ObservedResponse implements ClientHttpResponse {
    private final ClientHttpResponse delegate;
    private final BodyPrefixObserver observer;
    private ObservingInputStream body;

    ObservedResponse(ClientHttpResponse delegate, BodyPrefixObserver observer) {
      this.delegate = delegate;
      this.observer = observer;
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
    public HttpHeaders getHeaders() {
      return delegate.getHeaders();
    }

    @Override
    public InputStream getBody() throws IOException {
      InputStream current = delegate.getBody();
      if (body == null) {
        body = new ObservingInputStream(current, observer);
      }
      // Clients hand out one stream per response; should one hand out another, it is left alone.
      return body.wraps(current) ? body : current;
    }

    @Override
    public void close() {
      try {
        delegate.close();
      } finally {
        observer.ended();
      }
    }
  }
}
