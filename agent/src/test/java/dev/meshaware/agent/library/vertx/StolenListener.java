package dev.meshaware.agent.library.vertx;

import dev.meshaware.agent.testing.ForDownstream;
import io.vertx.core.Completable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Vert.x 5, one event loop, one stateless {@code Completable} listener (one object for every
 * registration): request A adds it to a pending promise; request B adds it to an already succeeded
 * future (a cache hit); request C completes A's promise. Each call must carry its own id.
 */
public final class StolenListener {
  private static final AtomicReference<Promise<String>> PENDING = new AtomicReference<>();
  private static final AtomicReference<String> PENDING_FOR = new AtomicReference<>();
  private static ForDownstream downstream;
  private static final Completable<String> LISTENER = (forId, failure) -> downstream.call(forId);

  private StolenListener() {}

  public static void main(String[] args) throws Exception {
    downstream = ForDownstream.start();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    int port =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  String requestId = request.getHeader("x-request-id");
                  switch (request.path()) {
                    case "/slow":
                      Promise<String> promise = Promise.promise();
                      PENDING.set(promise);
                      PENDING_FOR.set(requestId);
                      promise.future().onComplete(LISTENER);
                      break;
                    case "/fast":
                      Future.succeededFuture(requestId).onComplete(LISTENER);
                      break;
                    case "/complete":
                      PENDING.get().complete(PENDING_FOR.get());
                      break;
                    default:
                  }
                  request.response().end("ok");
                })
            .listen(0, "127.0.0.1")
            .await()
            .actualPort();
    ForDownstream.get(port, "/slow", "A");
    ForDownstream.get(port, "/fast", "B");
    ForDownstream.get(port, "/complete", "C");
    Thread.sleep(500);
    vertx.close().await();
    System.exit(downstream.verdict());
  }
}
