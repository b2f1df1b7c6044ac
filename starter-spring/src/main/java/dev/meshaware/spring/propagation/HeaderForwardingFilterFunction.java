package dev.meshaware.spring.propagation;

import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.SubscriberContext;
import java.net.URI;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * Adds the current request's trace headers to a {@code WebClient} call. Inside a reactive pipeline
 * the headers come from its Reactor context (see {@link HeaderCaptureWebFilter}); a call made from
 * a blocking request thread (Spring MVC) finds them on that thread. Headers already on the call
 * win. Like {@link HeaderForwardingInterceptor}, it sees the first request of the call only.
 */
public final class HeaderForwardingFilterFunction implements ExchangeFilterFunction {
  private final RequestHeaders requestHeaders;

  public HeaderForwardingFilterFunction(RequestHeaders requestHeaders) {
    this.requestHeaders = requestHeaders;
  }

  @Override
  public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
    return Mono.deferContextual(
        context -> scoped(next.exchange(withHeaders(request, context)), context));
  }

  /**
   * In a pipeline that belongs to a request, the response and its body are delivered with that
   * request's headers current on the client's thread, for blocking calls made in the steps that
   * follow ({@link ReactorHeaderScopes}).
   */
  private static Mono<ClientResponse> scoped(Mono<ClientResponse> response, ContextView context) {
    if (!context.hasKey(SubscriberContext.KEY)) {
      return response;
    }
    Object value = context.get(SubscriberContext.KEY);
    return ReactorHeaderScopes.scoped(
        response.map(
            delivered ->
                delivered.mutate().body(body -> ReactorHeaderScopes.scoped(body, value)).build()),
        value);
  }

  private ClientRequest withHeaders(ClientRequest request, ContextView context) {
    URI uri = request.url();
    // A pipeline that belongs to a request answers from its context, even when that request had
    // no headers: the thread it runs on may hold another request's.
    CapturedHeaders headers =
        context.hasKey(SubscriberContext.KEY)
            ? SubscriberContext.outbound(context.get(SubscriberContext.KEY), uri)
            : requestHeaders.forUri(uri);
    if (headers == null) {
      return request;
    }
    return ClientRequest.from(request)
        .headers(target -> HeaderForwardingInterceptor.addMissing(headers, target))
        .build();
  }
}
