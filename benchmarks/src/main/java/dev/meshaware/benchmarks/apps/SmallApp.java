package dev.meshaware.benchmarks.apps;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The small JDK-only application of the start-up benchmark: a server, a client, one request that
 * the server forwards downstream, then exit. Prints which trace headers reached downstream, so the
 * harness can check that each variant did its job.
 */
public final class SmallApp {
  private SmallApp() {}

  public static void main(String[] args) throws Exception {
    AtomicReference<String> arrived = new AtomicReference<>("none");
    HttpServer downstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    downstream.createContext(
        "/",
        exchange -> {
          arrived.set(Forwarded.describe(exchange.getRequestHeaders()::getFirst));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    downstream.start();
    HttpClient client = HttpClient.newHttpClient();
    URI next = URI.create("http://127.0.0.1:" + downstream.getAddress().getPort() + "/next");
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try {
            client.send(
                HttpRequest.newBuilder(next).build(), HttpResponse.BodyHandlers.discarding());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
    URI entry = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    client.send(
        Forwarded.inbound(HttpRequest.newBuilder(entry)).build(),
        HttpResponse.BodyHandlers.discarding());
    System.out.println(Forwarded.PREFIX + arrived.get());
    server.stop(0);
    downstream.stop(0);
    System.exit(0);
  }
}
