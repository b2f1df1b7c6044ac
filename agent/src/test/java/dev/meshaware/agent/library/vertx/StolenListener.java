package dev.meshaware.agent.library.vertx;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.Completable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Vert.x 5: one stateless Completable listener (one object per call site), registered by request A
 * on a pending promise, and by request B on an already succeeded future (a cache hit). The listener
 * calls a downstream with the id the APPLICATION thinks it serves (?for=) and the agent adds
 * x-request-id. Each downstream line must have for == rid.
 */
public class StolenListener {
  static final Queue<String> SEEN = new ConcurrentLinkedQueue<>();
  static String downstream;
  static final AtomicReference<Promise<String>> PENDING = new AtomicReference<>();
  static final AtomicReference<String> PENDING_FOR = new AtomicReference<>();

  // Stateless: one object for every registration.
  static final Completable<String> L = (forId, err) -> call(forId);

  static void call(String forId) {
    try {
      HttpURLConnection c =
          (HttpURLConnection) new URL(downstream + "?for=" + forId).openConnection();
      c.getResponseCode();
      c.getInputStream().readAllBytes();
      c.disconnect();
    } catch (Exception e) {
      SEEN.add("ERR " + e);
    }
  }

  public static void main(String[] args) throws Exception {
    HttpServer down = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    down.createContext(
        "/",
        ex -> {
          String q = ex.getRequestURI().getQuery();
          String rid = ex.getRequestHeaders().getFirst("x-request-id");
          SEEN.add(q + " rid=" + rid);
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    down.start();
    downstream = "http://127.0.0.1:" + down.getAddress().getPort() + "/";

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    int port =
        vertx
            .createHttpServer()
            .requestHandler(
                req -> {
                  String rid = req.getHeader("x-request-id");
                  switch (req.path()) {
                    case "/slow":
                      { // A: waits for a backend
                        Promise<String> p = Promise.promise();
                        PENDING.set(p);
                        PENDING_FOR.set(rid);
                        p.future().onComplete(L);
                        break;
                      }
                    case "/fast": // B: cache hit
                      Future.succeededFuture(rid).onComplete(L);
                      break;
                    case "/complete": // C: the backend's answer for A arrives while C is served
                      PENDING.get().complete(PENDING_FOR.get());
                      break;
                    default:
                  }
                  req.response().end("ok");
                })
            .listen(0, "127.0.0.1")
            .await()
            .actualPort();

    get(port, "/slow", "A");
    get(port, "/fast", "B");
    get(port, "/complete", "C");
    Thread.sleep(500);
    System.out.println("downstream saw (expect for=X rid=X on every line):");
    boolean bad = false;
    for (String s : SEEN) {
      String[] p = s.split(" rid=");
      boolean ok = p[0].equals("for=" + p[1]);
      bad |= !ok;
      System.out.println("  " + s + (ok ? "" : "   <-- WRONG REQUEST"));
    }
    System.out.println(bad ? "RESULT: FAIL" : "RESULT: PASS");
    Thread.sleep(Long.getLong("hold", 0));
    vertx.close().await();
    down.stop(0);
    System.exit(bad ? 1 : 0);
  }

  static void get(int port, String path, String rid) throws Exception {
    HttpURLConnection c =
        (HttpURLConnection) new URL("http://127.0.0.1:" + port + path).openConnection();
    c.setRequestProperty("x-request-id", rid);
    c.getResponseCode();
    try (InputStream in = c.getInputStream()) {
      in.readAllBytes();
    }
    c.disconnect();
  }
}
