package dev.meshaware.agent.library.vertx;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One Vert.x request with a chunked body sent in two pieces; the app reads meshaware's in-flight
 * count (what the shutdown drain waits on) in its request, chunk and end handlers: one request is
 * in flight, so each must read 1.
 */
public class VertxInflight {
  static final Queue<String> SEEN = new ConcurrentLinkedQueue<>();
  static Method count;

  static int inflight() {
    try {
      return (Integer) count.invoke(null);
    } catch (Exception e) {
      return -99;
    }
  }

  public static void main(String[] args) throws Exception {
    count = Class.forName("dev.meshaware.core.shutdown.InflightRequests").getMethod("count");
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    int port =
        vertx
            .createHttpServer()
            .requestHandler(
                req -> {
                  SEEN.add("request handler: " + inflight());
                  req.handler(
                      chunk ->
                          SEEN.add("body chunk (" + chunk.length() + " bytes): " + inflight()));
                  req.endHandler(
                      v -> {
                        SEEN.add("end handler: " + inflight());
                        req.response().end("ok");
                      });
                })
            .listen(0, "127.0.0.1")
            .await()
            .actualPort();

    HttpURLConnection c =
        (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/up").openConnection();
    c.setDoOutput(true);
    c.setChunkedStreamingMode(0);
    c.setRequestProperty("x-request-id", "A");
    try (OutputStream out = c.getOutputStream()) {
      out.write("first".getBytes());
      out.flush();
      Thread.sleep(300);
      out.write("second".getBytes());
      out.flush();
      Thread.sleep(300);
    }
    c.getResponseCode();
    c.getInputStream().readAllBytes();
    Thread.sleep(200);
    SEEN.add("after the response: " + inflight());
    SEEN.forEach(s -> System.out.println("  " + s));
    vertx.close().await();
    System.exit(0);
  }
}
