package dev.meshaware.benchmarks.apps;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.Executors;

/**
 * The middle service of the chain benchmark: each request is forwarded downstream through the JDK's
 * HttpClient. Args: downstream port. Prints {@code PORT <n>}; runs until killed.
 */
public final class ChainApp {
  private ChainApp() {}

  public static void main(String[] args) throws Exception {
    URI next = URI.create("http://127.0.0.1:" + args[0] + "/next");
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(4))
            .build();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
    server.createContext(
        "/",
        exchange -> {
          int status;
          try {
            status =
                client
                    .send(
                        HttpRequest.newBuilder(next).build(),
                        HttpResponse.BodyHandlers.discarding())
                    .statusCode();
          } catch (Exception e) {
            status = 502;
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.setExecutor(Executors.newFixedThreadPool(32));
    server.start();
    System.out.println("PORT " + server.getAddress().getPort());
  }
}
