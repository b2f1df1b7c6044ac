package dev.meshaware.agent.diagnostics.apache;

import dev.meshaware.core.diagnostics.MeshDiagnostics;
import dev.meshaware.core.diagnostics.OutboundExchange;
import java.io.IOException;
import java.util.List;
import org.apache.hc.client5.http.async.AsyncExecCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncDataConsumer;

/**
 * Stands between Apache HttpClient 5's async client and the callback of one call: looks at the
 * final response head, or at the failure when no response came, then hands everything on unchanged.
 * Defined in the application's class loader (it implements the library's interface); may use only
 * the library, core and the JDK.
 */
public final class ObservingAsyncExecCallback implements AsyncExecCallback {
  private static final String CLIENT = "apache-httpclient5-async";

  private final AsyncExecCallback delegate;
  private final HttpRequest request;
  private final HttpHost target;
  private volatile boolean answered;

  public ObservingAsyncExecCallback(
      AsyncExecCallback delegate, HttpRequest request, HttpHost target) {
    this.delegate = delegate;
    this.request = request;
    this.target = target;
  }

  @Override
  public AsyncDataConsumer handleResponse(HttpResponse response, EntityDetails entity)
      throws HttpException, IOException {
    answered = true;
    try {
      OutboundExchange exchange = MeshDiagnostics.response(CLIENT, response.getCode());
      if (exchange != null) {
        describeRequest(exchange);
        List<String> names = OutboundExchange.RESPONSE_HEADERS;
        for (int i = 0; i < names.size(); i++) {
          Header header = response.getFirstHeader(names.get(i));
          exchange.header(names.get(i), header == null ? null : header.getValue());
        }
        if (entity == null) {
          exchange.header("content-length", "0");
        }
        MeshDiagnostics.record(exchange);
      }
    } catch (RuntimeException ignored) {
      // Diagnostics must never change the call.
    }
    return delegate.handleResponse(response, entity);
  }

  @Override
  public void handleInformationResponse(HttpResponse response) throws HttpException, IOException {
    delegate.handleInformationResponse(response);
  }

  @Override
  public void completed() {
    delegate.completed();
  }

  @Override
  public void failed(Exception cause) {
    if (!answered) {
      try {
        OutboundExchange exchange = MeshDiagnostics.failure(CLIENT, cause);
        if (exchange != null) {
          describeRequest(exchange);
          MeshDiagnostics.record(exchange);
        }
      } catch (RuntimeException ignored) {
        // Diagnostics must never change the call.
      }
    }
    delegate.failed(cause);
  }

  /** Read when the answer comes, so that headers added after the call started are seen. */
  private void describeRequest(OutboundExchange exchange) {
    Header requestId = request.getFirstHeader("x-request-id");
    exchange.request(
        request.getMethod(),
        target == null ? request.getRequestUri() : target.toURI() + request.getPath(),
        requestId == null ? null : requestId.getValue());
  }
}
