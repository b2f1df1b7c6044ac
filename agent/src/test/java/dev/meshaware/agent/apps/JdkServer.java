package dev.meshaware.agent.apps;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/** Inbound through the JDK's {@code com.sun.net.httpserver}, with a filter in front. */
final class JdkServer {
  private JdkServer() {}

  static int start() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
    var context =
        server.createContext(
            "/",
            exchange -> {
              byte[] body =
                  ServiceApp.handle(exchange.getRequestURI().getRawQuery())
                      .getBytes(StandardCharsets.UTF_8);
              exchange.sendResponseHeaders(200, body.length);
              try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
              }
            });
    context.getFilters().add(com.sun.net.httpserver.Filter.beforeHandler("log", exchange -> {}));
    server.setExecutor(Executors.newFixedThreadPool(16));
    server.start();
    return server.getAddress().getPort();
  }
}
