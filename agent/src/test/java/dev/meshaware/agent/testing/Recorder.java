package dev.meshaware.agent.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The downstream service on loopback that a child's work calls: records, per tag ({@code
 * /rec/<tag>}), the {@code x-request-id} and {@code end-user} each call carried.
 */
public final class Recorder implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(16);
  private final Map<String, List<Carried>> calls = new ConcurrentHashMap<>();

  /** The two headers a call carried; null where it carried none. */
  public record Carried(String requestId, String endUser) {
    public static final Carried NONE = new Carried(null, null);

    @Override
    public String toString() {
      return this.equals(NONE)
          ? "no headers"
          : "x-request-id=" + requestId + " end-user=" + endUser;
    }
  }

  private Recorder(HttpServer server) {
    this.server = server;
  }

  public static Recorder start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
    Recorder recorder = new Recorder(server);
    server.createContext(
        "/rec/",
        exchange -> {
          String tag = exchange.getRequestURI().getPath().substring("/rec/".length());
          recorder
              .calls
              .computeIfAbsent(tag, t -> new CopyOnWriteArrayList<>())
              .add(
                  new Carried(
                      exchange.getRequestHeaders().getFirst("x-request-id"),
                      exchange.getRequestHeaders().getFirst("end-user")));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.setExecutor(recorder.threads);
    server.start();
    return recorder;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The calls tagged {@code tag} so far. */
  public List<Carried> calls(String tag) {
    return calls.getOrDefault(tag, List.of());
  }

  /** Waits up to {@code timeout} for a first call tagged {@code tag}; all calls so far, or none. */
  public List<Carried> await(String tag, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (calls(tag).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    return calls(tag);
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
