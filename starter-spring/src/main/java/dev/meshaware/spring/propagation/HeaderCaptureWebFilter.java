package dev.meshaware.spring.propagation;

import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.SubscriberContext;
import dev.meshaware.spring.diagnostics.InboundRetries;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Captures each inbound WebFlux request's trace headers into the Reactor context of the pipeline
 * that serves it, under core's {@link SubscriberContext#KEY} (the key the agent uses too). A
 * pipeline hops between event-loop and scheduler threads that a thread-local cannot follow; its
 * context travels with every subscription, down to the {@code WebClient} calls it makes. Where the
 * pipeline's code runs on a thread (its subscription, its request body's delivery, see {@link
 * ReactorHeaderScopes}), the headers are current there too, for blocking clients. Each request is
 * also shown to {@link InboundRetries}.
 */
public final class HeaderCaptureWebFilter implements WebFilter, Ordered {
  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    ServerHttpRequest request = exchange.getRequest();
    if (InboundRetries.watches(request.getMethod().name())) {
      InboundRetries.seen(
          request.getMethod().name(),
          request.getURI().getRawPath(),
          request.getHeaders()::getFirst);
    }
    CapturedHeaders captured = RequestHeaders.capture(request.getHeaders()::getFirst);
    // Even a request without headers stores a marker: its pipeline must never fall back to
    // whatever the thread it runs on happens to hold.
    Object value = SubscriberContext.valueFor(captured);
    ServerWebExchange served =
        HeaderScopedExchange.hasBody(request)
            ? new HeaderScopedExchange(exchange, value)
            : exchange;
    return ReactorHeaderScopes.scoped(chain.filter(served), value)
        .contextWrite(context -> context.put(SubscriberContext.KEY, value));
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
