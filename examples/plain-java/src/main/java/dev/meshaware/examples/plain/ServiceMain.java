package dev.meshaware.examples.plain;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * A small service with no meshaware code at all: it answers {@code GET /} with what it received
 * and, when it has a downstream, what the downstream answered, so the call tree shows the trace
 * headers arriving at every hop. Attach {@code -javaagent:meshaware-agent.jar} and they do.
 *
 * <p>System properties: {@code service.name}, {@code service.address} (default 0.0.0.0), {@code
 * service.port} (default 8080, 0 = any), {@code service.downstream} (a URL, optional), {@code
 * service.admin-port} (an extra admin listener, optional), {@code service.admin-address}.
 */
public final class ServiceMain {
  /** The headers the tree shows at each hop. */
  static final List<String> SHOWN = List.of("x-request-id", "x-b3-traceid", "x-b3-spanid");

  private ServiceMain() {}

  public static void main(String[] args) throws Exception {
    String name = System.getProperty("service.name", "service");
    String address = System.getProperty("service.address", "0.0.0.0");
    int port = Integer.getInteger("service.port", 8080);
    String downstream = System.getProperty("service.downstream");
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 128);
    server.createContext("/", exchange -> answer(exchange, name, downstream, client));
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.start();
    String adminPort = System.getProperty("service.admin-port");
    if (adminPort != null) {
      HttpServer admin =
          HttpServer.create(
              new InetSocketAddress(
                  System.getProperty("service.admin-address", "127.0.0.1"),
                  Integer.parseInt(adminPort)),
              8);
      admin.createContext("/", exchange -> reply(exchange, 200, "{\"status\":\"UP\"}"));
      admin.start();
    }
    System.out.println(name + " listening on " + address + ":" + server.getAddress().getPort());
  }

  private static void answer(
      HttpExchange exchange, String name, String downstream, HttpClient client) throws IOException {
    StringBuilder json = new StringBuilder("{\"service\":\"").append(name).append('"');
    for (String header : SHOWN) {
      String value = exchange.getRequestHeaders().getFirst(header);
      json.append(",\"").append(header).append("\":");
      json.append(value == null ? "null" : "\"" + value.replace("\"", "") + "\"");
    }
    int status = 200;
    if (downstream != null) {
      try {
        HttpResponse<String> next =
            client.send(
                HttpRequest.newBuilder(URI.create(downstream)).build(),
                HttpResponse.BodyHandlers.ofString());
        status = next.statusCode();
        json.append(",\"next\":").append(next.statusCode() == 200 ? next.body() : "null");
        json.append(",\"next_status\":").append(next.statusCode());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        status = 502;
      } catch (IOException e) {
        status = 502;
        json.append(",\"next_error\":\"").append(e.getClass().getSimpleName()).append('"');
      }
    }
    reply(exchange, status, json.append('}').toString());
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("content-type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
