package example.isolation;

import com.google.common.util.concurrent.MoreExecutors;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * What an application sees of its own tasks through the executor APIs: the queue, {@code remove},
 * {@code shutdownNow}, the hooks ({@code beforeExecute}, {@code afterExecute}, {@code
 * decorateTask}, the rejection handler) and priority order. Each check answers {@code key=value}
 * lines that name the application's objects ({@code t1}, {@code f2}...) or, for anything else, its
 * class; the test compares the answers with and without the agent.
 */
final class AppObjects {
  private final Map<String, String> out = new LinkedHashMap<>();
  private final Map<String, Object> known = new LinkedHashMap<>();

  private AppObjects() {}

  static String check(String family) throws Exception {
    AppObjects check = new AppObjects();
    switch (family) {
      case "thread-pool" -> {
        RecordingPool pool = new RecordingPool(1, new LinkedBlockingQueue<>());
        check.queued(pool, pool::execute, pool::submit);
        RecordingPool second = new RecordingPool(1, new LinkedBlockingQueue<>());
        check.hooks(second, second::execute, second::submit);
      }
      case "priority" -> check.priority();
      case "rejected" -> check.rejected();
      case "scheduled" -> check.scheduled();
      case "forkjoin" -> check.forkJoin();
      case "spring-tpte" -> {
        ThreadPoolTaskExecutor spring = new ThreadPoolTaskExecutor();
        spring.setCorePoolSize(1);
        spring.setMaxPoolSize(1);
        spring.initialize();
        check.queued(spring.getThreadPoolExecutor(), spring::execute, spring::submit);
      }
      case "guava-listening" -> {
        RecordingPool pool = new RecordingPool(1, new LinkedBlockingQueue<>());
        var listening = MoreExecutors.listeningDecorator(pool);
        check.queued(pool, listening::execute, listening::submit);
        RecordingPool second = new RecordingPool(1, new LinkedBlockingQueue<>());
        var listeningSecond = MoreExecutors.listeningDecorator(second);
        check.hooks(second, listeningSecond::execute, listeningSecond::submit);
      }
      default -> throw new IllegalArgumentException("unknown family " + family);
    }
    StringBuilder lines = new StringBuilder();
    check.out.forEach((key, value) -> lines.append(key).append('=').append(value).append('\n'));
    return lines.toString();
  }

  /** Tasks waiting behind a busy worker: the queue, remove and shutdownNow. */
  private void queued(ThreadPoolExecutor pool, Executor execute, Submit submit) throws Exception {
    Gate gate = new Gate();
    execute.execute(gate);
    gate.started.await(5, TimeUnit.SECONDS);
    Task t1 = task("t1");
    Task t3 = task("t3");
    Task t4 = task("t4");
    execute.execute(t1);
    known.put("f2", submit.apply(task("t2")));
    execute.execute(t3);
    execute.execute(t4);
    BlockingQueue<Runnable> queue = pool.getQueue();
    out.put("queue", describe(queue));
    out.put("queue.peek", nameOf(queue.peek()));
    out.put("queue.contains", queue.contains(t1) + "," + queue.contains(known.get("f2")));
    out.put("queue.hashSet.contains", Boolean.toString(new HashSet<>(queue).contains(t3)));
    out.put("queue.toString.first", String.valueOf(queue.peek()));
    out.put("remove.same", Boolean.toString(pool.remove(t3)));
    out.put("remove.equal", Boolean.toString(pool.remove(new Task("t4", null))));
    out.put("shutdownNow", describe(pool.shutdownNow()));
    gate.open.countDown();
    out.put("terminated", Boolean.toString(pool.awaitTermination(5, TimeUnit.SECONDS)));
  }

  /** What beforeExecute and afterExecute receive for execute, submit and a failing task. */
  private void hooks(RecordingPool pool, Executor execute, Submit submit) throws Exception {
    execute.execute(task("t5"));
    known.put("f6", submit.apply(task("t6")));
    Task t7 =
        new Task(
            "t7",
            () -> {
              throw new IllegalStateException("t7 fails");
            });
    known.put("t7", t7);
    execute.execute(t7);
    List<String> after = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Object[] call = pool.after.poll(5, TimeUnit.SECONDS);
      after.add(call == null ? "missing" : nameOf(call[0]) + ":" + call[1]);
    }
    out.put("afterExecute", String.join(",", after));
    out.put("beforeExecute", describe(pool.before));
    pool.shutdown();
  }

  /** The application's Comparable tasks order a PriorityBlockingQueue. */
  private void priority() throws Exception {
    RecordingPool pool = new RecordingPool(1, new PriorityBlockingQueue<>());
    Gate gate = new Gate();
    pool.execute(gate);
    gate.started.await(5, TimeUnit.SECONDS);
    List<String> ran = new CopyOnWriteArrayList<>();
    List<String> errors = new ArrayList<>();
    for (int priority : new int[] {3, 1, 2}) {
      var task = new JdkSubjects.PriorityTask(priority, () -> ran.add("p" + priority));
      known.put("p" + priority, task);
      try {
        pool.execute(task);
      } catch (RuntimeException e) {
        errors.add(e.getClass().getSimpleName());
      }
    }
    out.put("priority.errors", errors.toString());
    out.put("priority.queue.peek", nameOf(pool.getQueue().peek()));
    gate.open.countDown();
    pool.shutdown();
    pool.awaitTermination(5, TimeUnit.SECONDS);
    out.put("priority.order", ran.toString());
  }

  /** The rejection handler receives the task the application gave. */
  private void rejected() throws Exception {
    List<Runnable> rejected = new CopyOnWriteArrayList<>();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            1, 1, 0, TimeUnit.MILLISECONDS, new SynchronousQueue<>(), (r, e) -> rejected.add(r));
    Gate gate = new Gate();
    pool.execute(gate);
    gate.started.await(5, TimeUnit.SECONDS);
    pool.execute(task("t8"));
    out.put("rejected", describe(rejected));
    CopyOnWriteArrayList<Runnable> ranInline = new CopyOnWriteArrayList<>();
    ThreadPoolExecutor callerRuns =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new SynchronousQueue<>(),
            new ThreadPoolExecutor.CallerRunsPolicy() {
              @Override
              public void rejectedExecution(Runnable r, ThreadPoolExecutor e) {
                ranInline.add(r);
                super.rejectedExecution(r, e);
              }
            });
    Gate second = new Gate();
    callerRuns.execute(second);
    second.started.await(5, TimeUnit.SECONDS);
    Task t9 = task("t9");
    callerRuns.execute(t9);
    out.put("callerRuns.handler", describe(ranInline));
    out.put("callerRuns.ran", Boolean.toString(t9.ran));
    gate.open.countDown();
    second.open.countDown();
    pool.shutdown();
    callerRuns.shutdown();
  }

  /** decorateTask, the queue, remove and shutdownNow of a scheduled pool. */
  private void scheduled() throws Exception {
    List<Object> decorated = new CopyOnWriteArrayList<>();
    ScheduledThreadPoolExecutor pool =
        new ScheduledThreadPoolExecutor(1) {
          @Override
          protected <V> RunnableScheduledFuture<V> decorateTask(
              Runnable r, RunnableScheduledFuture<V> task) {
            decorated.add(r);
            return task;
          }

          @Override
          protected <V> RunnableScheduledFuture<V> decorateTask(
              Callable<V> c, RunnableScheduledFuture<V> task) {
            decorated.add(c);
            return task;
          }
        };
    known.put("sf1", pool.schedule(task("t1"), 1, TimeUnit.HOURS));
    Callable<String> c2 = () -> "c2";
    known.put("c2", c2);
    known.put("sf2", pool.schedule(c2, 1, TimeUnit.HOURS));
    known.put("sf3", pool.schedule(task("t3"), 2, TimeUnit.HOURS));
    out.put("decorateTask", describe(decorated));
    out.put("queue", describe(pool.getQueue()));
    out.put("remove", Boolean.toString(pool.remove((Runnable) known.get("sf1"))));
    out.put("shutdownNow", describe(pool.shutdownNow()));
  }

  /** A ForkJoinTask handed to execute(Runnable) is queued as itself. */
  private void forkJoin() throws Exception {
    PollablePool pool = new PollablePool();
    Gate gate = new Gate();
    pool.execute(gate);
    gate.started.await(5, TimeUnit.SECONDS);
    ForkJoinTask<?> adapted = ForkJoinTask.adapt(task("t1"));
    known.put("fj1", adapted);
    pool.execute((Runnable) adapted);
    out.put("pollSubmission", nameOf(pool.poll()));
    gate.open.countDown();
    pool.shutdown();
  }

  private Task task(String name) {
    Task task = new Task(name, null);
    known.put(name, task);
    return task;
  }

  /** Names the application's objects; anything else by its class. */
  private String describe(Collection<?> objects) {
    List<String> names = new ArrayList<>();
    for (Object object : objects) {
      names.add(nameOf(object));
    }
    return String.join(",", names);
  }

  private String nameOf(Object object) {
    if (object == null) {
      return "null";
    }
    for (Map.Entry<String, Object> entry : known.entrySet()) {
      if (entry.getValue() == object) {
        return entry.getKey();
      }
    }
    return object instanceof Gate ? "gate" : "<" + object.getClass().getName() + ">";
  }

  /** How the application submits through the API under test. */
  @FunctionalInterface
  private interface Submit {
    Future<?> apply(Runnable task);
  }

  /** The application's task: equal to another of the same name, as a value. */
  static final class Task implements Runnable {
    private final String name;
    private final Runnable body;
    volatile boolean ran;

    Task(String name, Runnable body) {
      this.name = name;
      this.body = body;
    }

    @Override
    public void run() {
      ran = true;
      if (body != null) {
        body.run();
      }
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Task && ((Task) other).name.equals(name);
    }

    @Override
    public int hashCode() {
      return name.hashCode();
    }

    @Override
    public String toString() {
      return "task " + name;
    }
  }

  /** Keeps a worker busy until opened. */
  private static final class Gate implements Runnable {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch open = new CountDownLatch(1);

    @Override
    public void run() {
      started.countDown();
      try {
        open.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A pool that records what its hooks receive. */
  static final class RecordingPool extends ThreadPoolExecutor {
    final List<Runnable> before = new CopyOnWriteArrayList<>();
    final BlockingQueue<Object[]> after = new LinkedBlockingQueue<>();

    RecordingPool(int threads, BlockingQueue<Runnable> queue) {
      super(threads, threads, 0, TimeUnit.MILLISECONDS, queue);
    }

    @Override
    protected void beforeExecute(Thread thread, Runnable task) {
      before.add(task);
    }

    @Override
    protected void afterExecute(Runnable task, Throwable failure) {
      after.add(new Object[] {task, failure == null ? "null" : failure.getClass().getSimpleName()});
    }
  }

  /** Exposes the queued submissions of a one-worker pool. */
  private static final class PollablePool extends ForkJoinPool {
    PollablePool() {
      super(1);
    }

    ForkJoinTask<?> poll() {
      return pollSubmission();
    }
  }
}
