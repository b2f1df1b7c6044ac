package dev.meshaware.spring.propagation;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.codec.multipart.Part;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebExchangeDecorator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A WebFlux exchange whose request body (and the form and multipart data read from it) is delivered
 * with the request's headers current: the body arrives on an event-loop thread after the request's
 * pipeline was subscribed, and the code that runs on it (argument resolution, then the controller
 * method with a {@code @RequestBody}) may call a blocking client. Used only for a request with a
 * body.
 */
final class HeaderScopedExchange extends ServerWebExchangeDecorator {
  private final ServerHttpRequest request;
  private final Object value;

  HeaderScopedExchange(ServerWebExchange exchange, Object value) {
    super(exchange);
    this.value = value;
    this.request =
        new ServerHttpRequestDecorator(exchange.getRequest()) {
          @Override
          public Flux<DataBuffer> getBody() {
            return ReactorHeaderScopes.scoped(super.getBody(), value);
          }
        };
  }

  /** True when {@code request} announces a body. */
  static boolean hasBody(ServerHttpRequest request) {
    HttpHeaders headers = request.getHeaders();
    return headers.getContentLength() > 0
        || headers.getFirst(HttpHeaders.TRANSFER_ENCODING) != null;
  }

  @Override
  public ServerHttpRequest getRequest() {
    return request;
  }

  @Override
  public Mono<MultiValueMap<String, String>> getFormData() {
    return ReactorHeaderScopes.scoped(super.getFormData(), value);
  }

  @Override
  public Mono<MultiValueMap<String, Part>> getMultipartData() {
    return ReactorHeaderScopes.scoped(super.getMultipartData(), value);
  }
}
