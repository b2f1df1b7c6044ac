package dev.meshaware.examples.demo;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Answers as an outbound sidecar does when the destination has no ready endpoint: 503 with Envoy's
 * own body {@code no healthy upstream}, {@code server: envoy}, and no {@code
 * x-envoy-upstream-service-time} (no upstream was reached).
 */
final class FakeEnvoy {
  private final HttpServer server;

  private FakeEnvoy(HttpServer server) {
    this.server = server;
  }

  static FakeEnvoy start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.createContext(
        "/",
        exchange -> {
          byte[] body = "no healthy upstream".getBytes(StandardCharsets.US_ASCII);
          exchange.getResponseHeaders().set("server", "envoy");
          exchange.getResponseHeaders().set("content-type", "text/plain");
          exchange.sendResponseHeaders(503, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    return new FakeEnvoy(server);
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  void stop() {
    server.stop(0);
  }
}
