package dev.meshaware.agent.apps;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The thread hops an application makes between receiving a request and calling out. Pools are
 * shared across requests, as in real applications, so a leak from one request would show up in the
 * next.
 */
final class Hops {
  static final ExecutorService POOL = Executors.newFixedThreadPool(4);
  static final ScheduledExecutorService SCHEDULER = Executors.newScheduledThreadPool(2);
  static final ForkJoinPool FORK_JOIN = new ForkJoinPool(2);

  /** Work handed to the main thread, which serves no request. */
  static final BlockingQueue<Runnable> OUTSIDE = new LinkedBlockingQueue<>();

  private Hops() {}

  /** Runs {@code call} through {@code hop}; returns what the handler should answer. */
  static String run(String hop, Callable<Integer> call) throws Exception {
    switch (hop) {
      case "direct":
        return status(call.call());
      case "executor":
        return status(POOL.submit(call).get(10, TimeUnit.SECONDS));
      case "scheduled":
        return status(SCHEDULER.schedule(call, 5, TimeUnit.MILLISECONDS).get(10, TimeUnit.SECONDS));
      case "forkjoin":
        return status(FORK_JOIN.submit(call).get(10, TimeUnit.SECONDS));
      case "completable":
        return status(CompletableFuture.supplyAsync(unchecked(call)).get(10, TimeUnit.SECONDS));
      case "completable-pool":
        return status(
            CompletableFuture.supplyAsync(() -> 0, POOL)
                .thenApplyAsync(ignored -> unchecked(call).get(), FORK_JOIN)
                .get(10, TimeUnit.SECONDS));
      case "thread":
        return status(inThread(call, false));
      case "virtual":
        return status(inThread(call, true));
      case "virtual-executor":
        {
          ExecutorService perTask = newVirtualThreadPerTaskExecutor();
          try {
            return status(perTask.submit(call).get(10, TimeUnit.SECONDS));
          } finally {
            perTask.shutdown();
          }
        }
      case "after-request":
        // Fan-out that outlives the request: runs once the response has been sent.
        POOL.submit(
            () -> {
              Thread.sleep(300);
              return call.call();
            });
        return "scheduled";
      case "periodic":
        SCHEDULER.scheduleAtFixedRate(once(call), 0, 1, TimeUnit.HOURS);
        return "scheduled";
      case "outside":
        // The main thread submits to the pool that served earlier requests: carries nothing.
        OUTSIDE.add(() -> POOL.submit(call));
        return "scheduled";
      case "outside-grpc-executor":
        // The main thread hands the call to the gRPC server's call executor, whose threads ran
        // earlier calls' callbacks: carries nothing, unless a callback left its headers behind.
        OUTSIDE.add(() -> GrpcServer.EXECUTOR.submit(call));
        return "scheduled";
      default:
        throw new IllegalArgumentException("unknown hop " + hop);
    }
  }

  private static String status(int status) {
    return Integer.toString(status);
  }

  private static java.util.function.Supplier<Integer> unchecked(Callable<Integer> call) {
    return () -> {
      try {
        return call.call();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }

  private static Runnable once(Callable<Integer> call) {
    AtomicReference<Boolean> done = new AtomicReference<>(false);
    return () -> {
      if (done.compareAndSet(false, true)) {
        try {
          call.call();
        } catch (Exception e) {
          e.printStackTrace();
        }
      }
    };
  }

  private static int inThread(Callable<Integer> call, boolean virtual) throws Exception {
    AtomicReference<Object> result = new AtomicReference<>();
    Runnable body =
        () -> {
          try {
            result.set(call.call());
          } catch (Exception e) {
            result.set(e);
          }
        };
    Thread thread;
    if (virtual) {
      thread =
          (Thread) Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, body);
    } else {
      thread = new Thread(body, "app-thread");
      thread.start();
    }
    thread.join(10_000);
    if (result.get() instanceof Exception) {
      throw (Exception) result.get();
    }
    return (Integer) result.get();
  }

  private static ExecutorService newVirtualThreadPerTaskExecutor() throws Exception {
    return (ExecutorService)
        Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
  }
}
