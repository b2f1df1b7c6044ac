package dev.meshaware.agent.library.vertx;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.Completable;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Vert.x 5: one stateless Completable listener (one object per call site). Request B0 uses it
 * normally; request A registers it on a promise that is never completed (the client went away, a
 * reply that never came); then B1..B3 use it normally, each completing its own promise from a timer
 * it set itself. Each Bi must reach the downstream with its own x-request-id.
 */
public class AbandonedListener {
  static final Queue<String> SEEN = new ConcurrentLinkedQueue<>();
  static String downstream;
  static final List<Promise<String>> ABANDONED = new ArrayList<>();

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
          SEEN.add(
              ex.getRequestURI().getQuery()
                  + " rid="
                  + ex.getRequestHeaders().getFirst("x-request-id"));
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
                  Promise<String> p = Promise.promise();
                  p.future().onComplete(L);
                  if (req.path().equals("/abandon")) {
                    ABANDONED.add(p); // never completed
                    req.response().end("ok");
                  } else {
                    vertx.setTimer(
                        20,
                        t -> {
                          p.complete(rid);
                          req.response().end("ok");
                        });
                  }
                })
            .listen(0, "127.0.0.1")
            .await()
            .actualPort();

    get(port, "/work", "B0");
    Thread.sleep(200);
    get(port, "/abandon", "A");
    for (String b : new String[] {"B1", "B2", "B3"}) {
      get(port, "/work", b);
      Thread.sleep(200);
    }
    Thread.sleep(300);
    System.out.println("downstream saw (expect for=X rid=X on every line):");
    boolean bad = false;
    for (String s : SEEN) {
      String[] p = s.split(" rid=");
      boolean ok = p[0].equals("for=" + p[1]);
      bad |= !ok;
      System.out.println("  " + s + (ok ? "" : "   <-- WRONG"));
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
