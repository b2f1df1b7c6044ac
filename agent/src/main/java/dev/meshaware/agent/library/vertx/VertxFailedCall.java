package dev.meshaware.agent.library.vertx;

import dev.meshaware.core.diagnostics.MeshDiagnostics;
import dev.meshaware.core.diagnostics.OutboundExchange;
import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.Propagation;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;

/**
 * Fills a diagnostics record from a Vert.x client request and its response head. Defined in the
 * application's Vert.x class loader (it uses Vert.x's types), so it may use only Vert.x, core and
 * the JDK.
 */
public final class VertxFailedCall {
  private static final String REQUEST_ID = "x-request-id";

  private VertxFailedCall() {}

  /** A response head: its status was already judged worth a look. */
  public static void answered(
      OutboundExchange record, HttpClientRequest request, HttpClientResponse response) {
    describe(record, request);
    MultiMap headers = response.headers();
    for (int i = 0; i < OutboundExchange.RESPONSE_HEADERS.size(); i++) {
      String name = OutboundExchange.RESPONSE_HEADERS.get(i);
      record.header(name, headers.get(name));
    }
    MeshDiagnostics.record(record);
  }

  /**
   * Method, URL and request id. The id is the application's own header, else the one forwarded for
   * the request being served here: the client's {@code headers()} stay as the application left them
   * (what meshaware added went out in a copy), and Vert.x handles a response or failure on the
   * connection's event loop with the request that wrote the call current.
   */
  public static void describe(OutboundExchange record, HttpClientRequest request) {
    String id = request.headers().get(REQUEST_ID);
    if (id == null) {
      CapturedHeaders carried = Propagation.forCall();
      id = carried == null ? null : carried.get(REQUEST_ID);
    }
    record.request(request.getMethod().name(), request.absoluteURI(), id);
  }
}
