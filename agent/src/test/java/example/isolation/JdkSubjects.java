package example.isolation;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The JDK's executors, and the ways applications build their own on them. */
final class JdkSubjects {
  private JdkSubjects() {}

  /** A fresh executor named {@code name}, or null when the name is not one of the JDK's. */
  static Subject create(String name) throws Exception {
    return switch (name) {
      case "fixed" -> executing(Executors.newFixedThreadPool(2), 2);
      case "cached" -> {
        ExecutorService pool = Executors.newCachedThreadPool();
        yield new Subject(2, task -> pool.submit(() -> run(task)));
      }
      case "single" -> {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        yield new Subject(1, pool::submit);
      }
      case "scheduled" -> {
        var pool = Executors.newScheduledThreadPool(2);
        yield new Subject(2, task -> pool.schedule(task, 1, TimeUnit.MILLISECONDS));
      }
      case "work-stealing" -> executing(Executors.newWorkStealingPool(2), 2);
      case "virtual-per-task" ->
          executing(
              (ExecutorService)
                  Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null),
              1);
      case "new-thread" -> new Subject(1, task -> new Thread(task).start());
      case "tpe-priority" -> priorityPool();
      case "tpe-callerruns" -> {
        var pool =
            new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.MILLISECONDS,
                new SynchronousQueue<>(),
                new ThreadPoolExecutor.CallerRunsPolicy());
        // Once its one worker is busy, tasks run on the thread that submits them.
        yield executing(pool, 1);
      }
      case "forkjoin" -> executing(new ForkJoinPool(2), 2);
      case "forkjoin-submit" -> {
        ForkJoinPool pool = new ForkJoinPool(2);
        yield new Subject(2, pool::submit);
      }
      case "forkjoin-fork" -> {
        ForkJoinPool pool = new ForkJoinPool(2);
        yield new Subject(1, task -> pool.execute(new Forking(task)));
      }
      case "common-pool" ->
          executing(ForkJoinPool.commonPool(), ForkJoinPool.getCommonPoolParallelism());
      case "lambda-factory" -> executing(Executors.newFixedThreadPool(2, r -> new Thread(r)), 2);
      case "methodref-factory" -> executing(Executors.newFixedThreadPool(2, Thread::new), 2);
      case "helper-factory" ->
          executing(Executors.newFixedThreadPool(2, new HelperThreadFactory("helper-")), 2);
      case "serial" -> {
        SerialExecutor serial = new SerialExecutor(Executors.newFixedThreadPool(2));
        yield new Subject(1, serial::execute);
      }
      case "relay" -> {
        RelayExecutor relay = new RelayExecutor(Executors.newFixedThreadPool(2));
        yield new Subject(2, relay::execute);
      }
      case "cf-run-async" -> new Subject(1, CompletableFuture::runAsync);
      case "cf-run-async-pool" -> {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        yield new Subject(2, task -> CompletableFuture.runAsync(task, pool));
      }
      case "cf-then-run-async-pool" -> {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        yield new Subject(
            2, task -> CompletableFuture.completedFuture(null).thenRunAsync(task, pool));
      }
      case "cf-delayed" ->
          new Subject(
              1, task -> CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS).execute(task));
      case "cf-delayed-pool" -> {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        yield new Subject(
            2,
            task ->
                CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS, pool).execute(task));
      }
      default -> null;
    };
  }

  private static Subject executing(ExecutorService pool, int threads) {
    return new Subject(threads, pool::execute);
  }

  private static Object run(Runnable task) {
    task.run();
    return null;
  }

  /** A pool ordered by the application's own {@code Comparable} tasks: first come, first run. */
  private static Subject priorityPool() {
    var pool =
        new ThreadPoolExecutor(
            2, 2, 0, TimeUnit.MILLISECONDS, new PriorityBlockingQueue<Runnable>());
    AtomicLong sequence = new AtomicLong();
    return new Subject(2, task -> pool.execute(new PriorityTask(sequence.incrementAndGet(), task)));
  }

  /** The application's prioritised task. */
  record PriorityTask(long priority, Runnable task) implements Runnable, Comparable<PriorityTask> {
    @Override
    public void run() {
      task.run();
    }

    @Override
    public int compareTo(PriorityTask other) {
      return Long.compare(priority, other.priority);
    }
  }

  /**
   * A task that forks the work inside the pool and waits without helping, so that another worker
   * steals the forked part (run here after all when no worker took it within a second).
   */
  private static final class Forking extends RecursiveAction {
    private static final long serialVersionUID = 1L;
    private final transient Runnable task;

    Forking(Runnable task) {
      this.task = task;
    }

    @Override
    protected void compute() {
      CountDownLatch done = new CountDownLatch(1);
      ForkJoinTask<?> forked =
          ForkJoinTask.adapt(
              () -> {
                try {
                  task.run();
                } finally {
                  done.countDown();
                }
              });
      forked.fork();
      try {
        if (!done.await(1, TimeUnit.SECONDS) && forked.tryUnfork()) {
          forked.invoke();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
