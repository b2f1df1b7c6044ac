package dev.meshaware.agent.library.netty;

import dev.meshaware.agent.testing.ForDownstream;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import io.netty.util.concurrent.Promise;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Raw Netty, one event loop, one stateless listener object: request A adds it to a pending promise;
 * request B adds it to an already succeeded future ({@code newSucceededFuture}, a cache hit), or
 * with argument {@code remove} to its own promise, completes it and removes the listener (cleanup,
 * a no-op for Netty once notified); request C completes A's promise. Each call must carry its own
 * request's id.
 */
public final class NettyStolenListener {
  private static final AtomicReference<Promise<String>> PENDING = new AtomicReference<>();
  private static final AtomicReference<String> PENDING_FOR = new AtomicReference<>();
  private static ForDownstream downstream;
  private static final GenericFutureListener<Future<String>> LISTENER =
      f -> downstream.call(f.getNow());

  private NettyStolenListener() {}

  public static void main(String[] args) throws Exception {
    boolean remove = args.length > 0 && args[0].equals("remove");
    downstream = ForDownstream.start();
    try (NettyRouteServer server =
        NettyRouteServer.start(
            (ctx, path, requestId) -> {
              if (path.equals("/slow")) {
                Promise<String> promise = ctx.executor().newPromise();
                PENDING.set(promise);
                PENDING_FOR.set(requestId);
                promise.addListener(LISTENER);
              } else if (path.equals("/fast") && remove) {
                Promise<String> mine = ctx.executor().newPromise();
                mine.addListener(LISTENER);
                mine.setSuccess(requestId);
                mine.removeListener(LISTENER);
              } else if (path.equals("/fast")) {
                ctx.executor().newSucceededFuture(requestId).addListener(LISTENER);
              } else if (path.equals("/complete")) {
                PENDING.get().setSuccess(PENDING_FOR.get());
              }
            })) {
      ForDownstream.get(server.port(), "/slow", "A");
      ForDownstream.get(server.port(), "/fast", "B");
      ForDownstream.get(server.port(), "/complete", "C");
      Thread.sleep(500);
    }
    System.exit(downstream.verdict());
  }
}
