package dev.meshaware.agent.library.netty;

import dev.meshaware.agent.testing.ForDownstream;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Raw Netty, one event loop, and an application pool. A1 hands a task to the pool; request X calls
 * {@code scheduleAtFixedRate} with a bad period on the event loop (the application catches the
 * {@code IllegalArgumentException}); then A2 hands a task to the pool: it must carry A2, as A1's
 * did. P and Q each hand the same stateless task to the pool (P's queued behind a slow task): it
 * may carry nothing (two owners of one pending object), never the other's id. Exits 1 when a call
 * carried another request's id.
 */
public final class NettyPeriodicStuck {
  private static final Queue<String> FOR = new ConcurrentLinkedQueue<>();
  private static final ExecutorService POOL = Executors.newSingleThreadExecutor();
  private static ForDownstream downstream;
  private static final Runnable SHARED = () -> downstream.call(FOR.poll());

  private NettyPeriodicStuck() {}

  public static void main(String[] args) throws Exception {
    downstream = ForDownstream.start();
    try (NettyRouteServer server =
        NettyRouteServer.start(
            (ctx, path, requestId) -> {
              switch (path) {
                case "/bad":
                  try {
                    ctx.executor().scheduleAtFixedRate(() -> {}, 0, 0, TimeUnit.MILLISECONDS);
                  } catch (IllegalArgumentException expected) {
                    System.out.println("(app caught: " + expected.getMessage() + ")");
                  }
                  break;
                case "/own":
                  POOL.execute(() -> downstream.call(requestId));
                  break;
                case "/shared-slow":
                  POOL.execute(NettyPeriodicStuck::pause);
                  FOR.add(requestId);
                  POOL.execute(SHARED);
                  break;
                case "/shared":
                  FOR.add(requestId);
                  POOL.execute(SHARED);
                  break;
                default:
              }
            })) {
      ForDownstream.get(server.port(), "/own", "A1");
      Thread.sleep(200);
      ForDownstream.get(server.port(), "/bad", "X");
      ForDownstream.get(server.port(), "/own", "A2");
      Thread.sleep(200);
      ForDownstream.get(server.port(), "/shared-slow", "P");
      ForDownstream.get(server.port(), "/shared", "Q");
      Thread.sleep(800);
    }
    POOL.shutdown();
    downstream.verdict();
    System.exit(downstream.wrongRequests() == 0 ? 0 : 1);
  }

  private static void pause() {
    try {
      Thread.sleep(300);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
