package dev.meshaware.agent.library.undertow;

import dev.meshaware.agent.testing.TestHttp;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.function.Function;

/**
 * Undertow's server for the shared tests: an {@code HttpHandler} that moves its blocking work to
 * the worker pool with {@code exchange.dispatch(this)}, as Undertow's guide has it.
 */
public final class UndertowHttp implements TestHttp.Library {
  @Override
  public Map<String, TestHttp.Server> servers() {
    return Map.of("undertow", UndertowHttp::serve);
  }

  private static int serve(Function<String, String> handler) {
    HttpHandler blocking =
        new HttpHandler() {
          @Override
          public void handleRequest(HttpServerExchange exchange) {
            if (exchange.isInIoThread()) {
              exchange.dispatch(this);
              return;
            }
            String query = exchange.getQueryString();
            exchange
                .getResponseSender()
                .send(handler.apply(query == null || query.isEmpty() ? null : query));
          }
        };
    Undertow server =
        Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(blocking).build();
    server.start();
    return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
  }
}
