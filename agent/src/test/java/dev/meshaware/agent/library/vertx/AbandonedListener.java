package dev.meshaware.agent.library.vertx;

import dev.meshaware.agent.testing.ForDownstream;
import io.vertx.core.Completable;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Vert.x 5, one stateless {@code Completable} listener: request B0 uses it; request A adds it to a
 * promise that never completes (a reply that never came); then B1..B3 use it, each completing its
 * own promise from a timer it set. Each Bi must carry its own id.
 */
public final class AbandonedListener {
  private static final List<Promise<String>> ABANDONED = new CopyOnWriteArrayList<>();
  private static ForDownstream downstream;
  private static final Completable<String> LISTENER = (forId, failure) -> downstream.call(forId);

  private AbandonedListener() {}

  public static void main(String[] args) throws Exception {
    downstream = ForDownstream.start();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    int port =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  String requestId = request.getHeader("x-request-id");
                  Promise<String> promise = Promise.promise();
                  promise.future().onComplete(LISTENER);
                  if (request.path().equals("/abandon")) {
                    ABANDONED.add(promise); // never completed
                    request.response().end("ok");
                  } else {
                    vertx.setTimer(
                        20,
                        timer -> {
                          promise.complete(requestId);
                          request.response().end("ok");
                        });
                  }
                })
            .listen(0, "127.0.0.1")
            .await()
            .actualPort();
    ForDownstream.get(port, "/work", "B0");
    Thread.sleep(200);
    ForDownstream.get(port, "/abandon", "A");
    for (String b : List.of("B1", "B2", "B3")) {
      ForDownstream.get(port, "/work", b);
      Thread.sleep(200);
    }
    Thread.sleep(300);
    vertx.close().await();
    System.exit(downstream.verdict());
  }
}
