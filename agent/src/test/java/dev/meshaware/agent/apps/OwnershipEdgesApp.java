package dev.meshaware.agent.apps;

import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.CurrentHeaders;
import dev.meshaware.core.propagation.Propagation;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Edge cases of work ownership, one per mode (the first argument), each printing {@code APP-RESULT
 * <mode> <what each run saw>}: a request is served by opening its scope as the agent's inbound
 * instrumentation does, with {@code x-request-id} set to the request's name; {@code none} is a run
 * with no headers.
 */
public final class OwnershipEdgesApp {
  private static final List<String> RUNS = Collections.synchronizedList(new ArrayList<>());
  private static volatile CountDownLatch hold = new CountDownLatch(0);
  private static final CountDownLatch STARTED = new CountDownLatch(1);

  private OwnershipEdgesApp() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    String result;
    switch (mode) {
      case "pending-twice":
        result = pendingTwice();
        break;
      case "lazy-worker":
        result = throughEach(newInstance("example.executors.LazyWorkerExecutor"));
        break;
      case "pass-through":
        result = passThrough();
        break;
      case "rejected-then-resubmitted":
        result = rejectedThenResubmitted();
        break;
      case "java-only-loader":
        result = javaOnlyLoader();
        break;
      default:
        throw new IllegalArgumentException(mode);
    }
    System.out.println("APP-RESULT " + mode + " " + result);
    System.exit(0);
  }

  static String current() {
    CapturedHeaders headers = CurrentHeaders.get();
    return headers == null ? "none" : headers.get("x-request-id");
  }

  static <T> T serving(String requestId, Callable<T> body) throws Exception {
    String[] raw = new String[Propagation.policy().nameCount()];
    raw[0] = requestId;
    CurrentHeaders.Scope scope = Propagation.enterInbound(raw, new Object());
    try {
      return body.call();
    } finally {
      Propagation.exitInbound(scope);
    }
  }

  static void serving(String requestId, Runnable body) throws Exception {
    serving(
        requestId,
        () -> {
          body.run();
          return null;
        });
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * One stateless lambda (one object per call site) submitted by A and B, then, while B's
   * submission is still queued, by C: rule 5 says B's run carries nothing.
   */
  private static String pendingTwice() throws Exception {
    ExecutorService single = Executors.newSingleThreadExecutor();
    CountDownLatch gate = new CountDownLatch(1);
    single.execute(() -> await(gate));
    Runnable task =
        () -> {
          RUNS.add(current());
          STARTED.countDown();
          await(hold);
        };
    hold = new CountDownLatch(1);
    serving("A", () -> single.execute(task));
    serving("B", () -> single.execute(task));
    gate.countDown();
    STARTED.await(); // the first run is under way; B's is queued
    serving("C", () -> single.execute(task));
    CountDownLatch release = hold;
    hold = new CountDownLatch(0);
    release.countDown();
    single.submit(() -> {}).get(10, TimeUnit.SECONDS);
    return RUNS.toString();
  }

  /** A task per request (A, B, none, C) through {@code executor}, one after the other. */
  private static String throughEach(Executor executor) throws Exception {
    List<String> seen = new ArrayList<>();
    for (String request : new String[] {"A", "B", null, "C"}) {
      CompletableFuture<String> ran = new CompletableFuture<>();
      Runnable task = () -> ran.complete(current());
      if (request == null) {
        executor.execute(task);
      } else {
        serving(request, () -> executor.execute(task));
      }
      seen.add(ran.get(10, TimeUnit.SECONDS));
    }
    return seen.toString();
  }

  /** A's task runs while B's is queued; B's is handed to the pool from the pool's worker. */
  private static String passThrough() throws Exception {
    Executor serial = newInstance("example.executors.PassThroughSerialExecutor");
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch aRunning = new CountDownLatch(1);
    CompletableFuture<String> b = new CompletableFuture<>();
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    serving(
        "A",
        () ->
            serial.execute(
                () -> {
                  seen.add(current());
                  aRunning.countDown();
                  await(release);
                }));
    aRunning.await();
    serving("B", () -> serial.execute(() -> b.complete(current())));
    release.countDown();
    seen.add(b.get(10, TimeUnit.SECONDS));
    return seen.toString();
  }

  /** A's submission is refused (the pool is busy); later B submits the same task object. */
  private static String rejectedThenResubmitted() throws Exception {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new SynchronousQueue<>());
    CountDownLatch gate = new CountDownLatch(1);
    pool.execute(() -> await(gate));
    CompletableFuture<String> ran = new CompletableFuture<>();
    Runnable task = () -> ran.complete(current());
    String refused =
        serving(
            "A",
            () -> {
              try {
                pool.execute(task);
                return "accepted";
              } catch (RejectedExecutionException e) {
                return "refused";
              }
            });
    gate.countDown();
    // the one worker takes new work only once it is back at its queue: retry until it is
    while (true) {
      try {
        pool.submit(() -> {}).get(10, TimeUnit.SECONDS);
        break;
      } catch (RejectedExecutionException busy) {
        Thread.sleep(10);
      }
    }
    serving(
        "B",
        () -> {
          while (true) { // as above: each refusal is a submission that leaves no owner behind
            try {
              pool.execute(task);
              return "accepted";
            } catch (RejectedExecutionException busy) {
              Thread.sleep(10);
            }
          }
        });
    return "A=" + refused + " B=" + ran.get(10, TimeUnit.SECONDS);
  }

  /**
   * An executor defined by a loader that resolves only {@code java.*} through its parent (an OSGi
   * bundle without boot delegation, a JBoss module): it must work as without the agent.
   */
  private static String javaOnlyLoader() throws Exception {
    URL classes = OwnershipEdgesApp.class.getProtectionDomain().getCodeSource().getLocation();
    ClassLoader javaOnly =
        new URLClassLoader(new URL[] {classes}, null) {
          @Override
          protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("java.")) {
              return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
              Class<?> loaded = findLoadedClass(name);
              return loaded != null ? loaded : findClass(name);
            }
          }
        };
    Executor inline =
        (Executor)
            javaOnly.loadClass("example.executors.InlineExecutor").getConstructor().newInstance();
    try {
      return throughEach(inline);
    } catch (Throwable t) {
      return "failed: " + t;
    }
  }

  private static Executor newInstance(String name) throws Exception {
    return (Executor) Class.forName(name).getConstructor().newInstance();
  }
}
