package dev.meshaware.spring.diagnostics;

import dev.meshaware.core.diagnostics.MeshDiagnostics;
import dev.meshaware.core.diagnostics.OutboundExchange;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;

/**
 * The {@code WebClient} counterpart of {@link MeshDiagnosticsInterceptor}: each response that may
 * come from a sidecar, or each exchange that ended without one, goes to core's classifier. The
 * response is handed on when it arrives, as it came; for a short plain-text body (Envoy's replies)
 * the classifier sees the first buffers as they pass to the application, never asking for one the
 * application did not ask for. A body the application never subscribes to is never read.
 */
public final class MeshDiagnosticsFilterFunction implements ExchangeFilterFunction {
  private static final String CLIENT = "spring-webclient";

  @Override
  public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
    if (!MeshDiagnosticsInterceptor.ours()) {
      return next.exchange(request);
    }
    return next.exchange(request)
        .doOnError(failure -> failed(request, failure))
        .flatMap(response -> observe(request, response));
  }

  private static Mono<ClientResponse> observe(ClientRequest request, ClientResponse response) {
    try {
      OutboundExchange exchange = MeshDiagnostics.response(CLIENT, response.statusCode().value());
      if (exchange == null) {
        return Mono.just(response); // a status no sidecar sends: nothing allocated, nothing read
      }
      exchange.request(request.method().name(), request.url().toString(), requestId(request));
      HttpHeaders headers = response.headers().asHttpHeaders();
      for (String name : OutboundExchange.RESPONSE_HEADERS) {
        exchange.header(name, headers.getFirst(name));
      }
      if (!exchange.wantsBody()) {
        MeshDiagnostics.record(exchange);
        return Mono.just(response);
      }
      // Maybe one of Envoy's replies: recorded once its start has passed to the application, or
      // when the body ends, fails or is cancelled before that (then on status and headers alone).
      BodyPrefixObserver observer = new BodyPrefixObserver(exchange);
      return Mono.just(
          response
              .mutate()
              .body(
                  body ->
                      body.doOnNext(buffer -> passed(observer, buffer))
                          .doFinally(signal -> observer.ended()))
              .build());
    } catch (RuntimeException e) {
      return Mono.just(response); // the classifier is never worth a failed call
    }
  }

  /** Shows the observer a buffer's readable bytes without moving its read position. */
  private static void passed(BodyPrefixObserver observer, DataBuffer buffer) {
    int start = buffer.readPosition();
    int count = buffer.readableByteCount();
    for (int i = 0; i < count && observer.wantsMore(); i++) {
      observer.passed(buffer.getByte(start + i));
    }
  }

  private static void failed(ClientRequest request, Throwable failure) {
    OutboundExchange exchange = MeshDiagnostics.failure(CLIENT, failure);
    if (exchange != null) {
      exchange.request(request.method().name(), request.url().toString(), requestId(request));
      MeshDiagnostics.record(exchange);
    }
  }

  private static String requestId(ClientRequest request) {
    return request.headers().getFirst("x-request-id");
  }
}
