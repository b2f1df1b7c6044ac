package dev.meshaware.agent.library.undertow;

import dev.meshaware.core.diagnostics.RetriedRequests;
import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.CurrentHeaders;
import dev.meshaware.core.propagation.HeaderPolicy;
import dev.meshaware.core.propagation.Propagation;
import dev.meshaware.core.shutdown.InflightRequests;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderMap;

/**
 * One Undertow exchange's request, kept as an attachment of the exchange: its headers, read once
 * when it first reaches a handler (where a retried POST or PATCH is noticed, {@link
 * RetriedRequests}), and its place in the in-flight count, which ends when the exchange completes
 * (Undertow calls its completion listeners once, on whichever thread ends it). The attachment key
 * is this class's own, so the application never finds it among its attachments, and the exchange
 * takes it with it when it goes.
 *
 * <p>Defined in Undertow's class loader (it implements Undertow's listener interface); uses only
 * Undertow, core and the JDK.
 */
public final class UndertowExchangeRequest implements ExchangeCompletionListener {
  private static final AttachmentKey<UndertowExchangeRequest> KEY =
      AttachmentKey.create(UndertowExchangeRequest.class);

  private final CapturedHeaders headers;

  private UndertowExchangeRequest(CapturedHeaders headers) {
    this.headers = headers;
  }

  /**
   * Opens the scope of {@code exchange}'s request on this thread. The first time, when {@code
   * arriving} (its first handler is about to run), the request's headers are read and it is counted
   * until the exchange completes; an exchange not seen arriving (one that started before the
   * agent's instrumentation) opens nothing.
   */
  public static CurrentHeaders.Scope enter(HttpServerExchange exchange, boolean arriving) {
    UndertowExchangeRequest request = exchange.getAttachment(KEY);
    if (request == null) {
      if (!arriving) {
        return null;
      }
      request = arrived(exchange);
      if (request == null) {
        return null;
      }
    }
    return Propagation.enterCaptured(request.headers, exchange);
  }

  private static UndertowExchangeRequest arrived(HttpServerExchange exchange) {
    HeaderPolicy policy = Propagation.policy();
    if (policy == null) {
      return null;
    }
    HeaderMap inbound = exchange.getRequestHeaders();
    String method = exchange.getRequestMethod().toString();
    if (RetriedRequests.isActive() && RetriedRequests.watches(method)) {
      RetriedRequests.seen(
          method,
          exchange.getRequestURI(),
          inbound.getFirst(RetriedRequests.ATTEMPT_COUNT),
          inbound.getFirst("x-request-id"));
    }
    String[] raw = new String[policy.nameCount()];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = inbound.getFirst(policy.name(i));
    }
    UndertowExchangeRequest request = new UndertowExchangeRequest(policy.capture(raw));
    exchange.putAttachment(KEY, request);
    if (InflightRequests.begin()) {
      try {
        exchange.addExchangeCompleteListener(request);
      } catch (RuntimeException alreadyComplete) {
        InflightRequests.end();
      }
    }
    return request;
  }

  /**
   * The exchange completed: the request leaves the in-flight count (registered only if counted).
   */
  @Override
  public void exchangeEvent(HttpServerExchange exchange, NextListener next) {
    try {
      InflightRequests.end();
    } finally {
      next.proceed();
    }
  }
}
