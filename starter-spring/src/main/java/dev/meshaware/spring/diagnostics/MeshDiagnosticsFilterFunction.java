package dev.meshaware.spring.diagnostics;

import dev.meshaware.core.diagnostics.MeshDiagnostics;
import dev.meshaware.core.diagnostics.OutboundExchange;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;

/**
 * The {@code WebClient} counterpart of {@link MeshDiagnosticsInterceptor}: each response that may
 * come from a sidecar, or each exchange that ended without one, goes to core's classifier. A short
 * plain-text body (Envoy's replies) is read once and handed on to the application unchanged.
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
    OutboundExchange exchange;
    try {
      exchange = MeshDiagnostics.response(CLIENT, response.statusCode().value());
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
    } catch (RuntimeException e) {
      return Mono.just(response); // the classifier is never worth a failed call
    }
    // Known, small, plain text: read it whole and give the application the same text.
    OutboundExchange withBody = exchange;
    return response
        .bodyToMono(String.class)
        .defaultIfEmpty("")
        .map(
            body -> {
              withBody.body(body);
              MeshDiagnostics.record(withBody);
              return response.mutate().body(body).build();
            });
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
