package dev.meshaware.agent.apps;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A small JDK-only service for the ahead-of-time cache test, run from a jar (the JVM caches no
 * class of a class-path directory): a loopback server whose handler hands the work to a {@code
 * ThreadPoolExecutor}, where the JDK {@code HttpClient} calls a loopback downstream. {@code main}
 * sends one request with {@link #REQUEST_ID} and {@link #TRACEPARENT} after {@code app.delay}
 * milliseconds (default 0), then prints what the downstream received and exits.
 */
public final class AotCacheApp {
  public static final String REQUEST_ID = "aot-3f2c9a61";
  public static final String TRACEPARENT =
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  /** Printed with the downstream's {@code x-request-id} and {@code traceparent}. */
  public static final String FORWARDED = "AOT-APP-FORWARDED ";

  private AotCacheApp() {}

  public static void main(String[] args) throws Exception {
    AtomicReference<String> arrived = new AtomicReference<>("no call");
    HttpServer downstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    downstream.createContext(
        "/",
        exchange -> {
          arrived.set(
              "x-request-id="
                  + exchange.getRequestHeaders().getFirst("x-request-id")
                  + " traceparent="
                  + exchange.getRequestHeaders().getFirst("traceparent"));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    downstream.start();
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI next = URI.create("http://127.0.0.1:" + downstream.getAddress().getPort() + "/next");
    ExecutorService workers = Executors.newFixedThreadPool(2);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          int status = 200;
          try {
            // the hop: the outbound call runs on a pool thread, not the request's
            workers
                .submit(
                    () ->
                        client.send(
                            HttpRequest.newBuilder(next).build(),
                            HttpResponse.BodyHandlers.discarding()))
                .get();
          } catch (Exception e) {
            status = 500;
            arrived.set("call failed: " + e);
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
    Thread.sleep(Long.getLong("app.delay", 0));
    client.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"))
            .header("x-request-id", REQUEST_ID)
            .header("traceparent", TRACEPARENT)
            .build(),
        HttpResponse.BodyHandlers.discarding());
    System.out.println(FORWARDED + arrived.get());
    server.stop(0);
    downstream.stop(0);
    workers.shutdown();
  }
}
