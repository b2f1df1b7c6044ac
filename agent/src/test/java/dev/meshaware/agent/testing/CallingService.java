package dev.meshaware.agent.testing;

import com.sun.net.httpserver.HttpServer;
import dev.meshaware.agent.apps.ServiceApp;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The inbound side of a child application that calls out through one library's clients: a JDK
 * server on 127.0.0.1 (so the agent has a request whose headers the call carries) serving {@code
 * /call?client=C&path=P} by calling {@code <app.downstream>P} with client C, answering with what
 * the application got ({@code "<status> <body>"} or {@code "error <exception>"}), and {@code
 * /call?mbean=Total} with meshaware's count of mesh failures. Prints {@code APP-PORT <port>}, as
 * {@link MeshedService} expects.
 */
public final class CallingService {
  /** Calls {@code url} with the client named {@code client}; what the application got. */
  @FunctionalInterface
  public interface Calls {
    String call(String client, String url) throws Exception;
  }

  private CallingService() {}

  public static void serve(Calls calls) throws Exception {
    String downstream = System.getProperty("app.downstream");
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext(
        "/",
        exchange -> {
          String query = exchange.getRequestURI().getRawQuery();
          String answer;
          try {
            String client = param(query, "client");
            answer =
                param(query, "mbean") != null
                    ? total()
                    : calls.call(client, downstream + param(query, "path"));
          } catch (Exception e) {
            answer = "error " + e;
          }
          byte[] body = answer.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
    System.out.println(ServiceApp.PORT + server.getAddress().getPort());
  }

  /** meshaware's count of mesh failures so far (core is on the boot class path). */
  private static String total() throws Exception {
    Object counters =
        Class.forName("dev.meshaware.core.diagnostics.MeshDiagnostics")
            .getMethod("counters")
            .invoke(null);
    return String.valueOf(counters.getClass().getMethod("total").invoke(counters));
  }

  private static String param(String query, String name) {
    for (String pair : query == null ? new String[0] : query.split("&")) {
      if (pair.startsWith(name + "=")) {
        return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
