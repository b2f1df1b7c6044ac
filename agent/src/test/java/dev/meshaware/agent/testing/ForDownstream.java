package dev.meshaware.agent.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * For small isolation programs run as child JVMs: a downstream on loopback that records, for each
 * call, the id the application believes it serves ({@code ?for=}) beside the {@code x-request-id}
 * the agent forwarded, so that each line says whether a call carried its own request's id ({@code
 * for=A rid=A}), none ({@code rid=null}) or another's.
 */
public final class ForDownstream implements AutoCloseable {
  private final HttpServer server;
  private final Queue<String> seen = new ConcurrentLinkedQueue<>();

  private ForDownstream(HttpServer server) {
    this.server = server;
  }

  /** Starts a downstream on a free loopback port. */
  public static ForDownstream start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ForDownstream downstream = new ForDownstream(server);
    server.createContext(
        "/",
        exchange -> {
          downstream.seen.add(
              exchange.getRequestURI().getQuery()
                  + " rid="
                  + exchange.getRequestHeaders().getFirst("x-request-id"));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    server.start();
    return downstream;
  }

  /** The application's outbound call, made while it serves {@code forId}. */
  public void call(String forId) {
    try {
      HttpURLConnection connection =
          (HttpURLConnection)
              new URL("http://127.0.0.1:" + server.getAddress().getPort() + "/?for=" + forId)
                  .openConnection();
      connection.getResponseCode();
      connection.getInputStream().readAllBytes();
      connection.disconnect();
    } catch (IOException e) {
      seen.add("ERR " + e);
    }
  }

  /** An inbound request to the application on {@code port}, carrying {@code requestId}. */
  public static void get(int port, String path, String requestId) throws IOException {
    HttpURLConnection connection =
        (HttpURLConnection) new URL("http://127.0.0.1:" + port + path).openConnection();
    connection.setRequestProperty("x-request-id", requestId);
    connection.getResponseCode();
    try (InputStream in = connection.getInputStream()) {
      in.readAllBytes();
    }
    connection.disconnect();
  }

  /** What arrived so far, one line per call. */
  public List<String> seen() {
    return List.copyOf(seen);
  }

  /**
   * Prints every line, marked when it carried another request's id ({@code WRONG REQUEST}) or none
   * ({@code missing}), then {@code RESULT: PASS} when every call carried its own; returns the exit
   * code for the program (0: pass).
   */
  public int verdict() {
    System.out.println("downstream saw (expect for=X rid=X on every line):");
    boolean bad = false;
    for (String line : seen) {
      String[] parts = line.split(" rid=");
      boolean own = parts.length == 2 && parts[0].equals("for=" + parts[1]);
      bad |= !own;
      String mark =
          own
              ? ""
              : parts.length == 2 && parts[1].equals("null")
                  ? "   <-- missing"
                  : "   <-- WRONG REQUEST";
      System.out.println("  " + line + mark);
    }
    System.out.println(bad ? "RESULT: FAIL" : "RESULT: PASS");
    return bad ? 1 : 0;
  }

  /** How many calls carried another request's id (never allowed; none is, where in doubt). */
  public long wrongRequests() {
    return seen.stream()
        .map(line -> line.split(" rid="))
        .filter(p -> p.length == 2 && !p[1].equals("null") && !p[0].equals("for=" + p[1]))
        .count();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
