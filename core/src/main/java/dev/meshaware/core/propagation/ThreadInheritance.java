package dev.meshaware.core.propagation;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadFactory;
import java.util.stream.Stream;

/**
 * Decides, while a new thread is being constructed during a request, whether it belongs to that
 * request. A thread the application makes for one piece of work ({@code new Thread(task)}, a
 * virtual thread, a thread-per-task executor) does; a worker that a pool, timer, scheduler or event
 * loop makes does not, because it goes on to run unrelated work long after the request ended.
 *
 * <p>The rule looks at what is constructing the thread, by type rather than by how anything is
 * named: a worker is any thread made while a {@link ThreadFactory} or a {@code ForkJoinPool} worker
 * factory is on the stack (whether it is a lambda, a method reference, or builds the thread in a
 * helper method, as Spring's and Guava's do), or while an {@link Executor} is being handed work (an
 * executor that starts its worker lazily), or made directly by JDK or well-known library code
 * (timers, selectors, event loops). Executors that give each task a thread of its own are the
 * exception: their threads belong to the submitter. The walk stops at the boundary of a task
 * meshaware runs (frames below it are the pool that runs the task, not the code making the thread).
 */
final class ThreadInheritance {
  private static final StackWalker WALKER =
      StackWalker.getInstance(
          Set.of(StackWalker.Option.RETAIN_CLASS_REFERENCE, StackWalker.Option.SHOW_HIDDEN_FRAMES));

  /**
   * Executors that make one thread per task, which ends with the task, and the method of each that
   * makes a task's thread ("": any). Spring's {@code newThread} also makes {@code
   * SimpleAsyncTaskScheduler}'s own long-lived trigger threads through a {@code ThreadFactory}, so
   * only its {@code doExecute} counts.
   */
  private static final Map<String, String> PER_TASK =
      Map.of(
          "java.util.concurrent.ThreadPerTaskExecutor", "",
          "java.util.concurrent.CompletableFuture$ThreadPerTaskExecutor", "",
          "org.springframework.core.task.SimpleAsyncTaskExecutor", "doExecute");

  /** Code whose own threads are long-lived workers (timers, selectors, event loops). */
  private static final String[] WORKER_MAKERS = {
    "java.",
    "javax.",
    "jdk.",
    "sun.",
    "com.sun.",
    "io.netty.",
    "reactor.",
    "okio.",
    "okhttp3.",
    "kotlinx.coroutines.",
    "io.grpc.",
    "org.apache.",
    "org.eclipse.jetty.",
    "io.undertow.",
    "org.xnio.",
    "com.zaxxer.",
    "io.micrometer.",
    "io.opentelemetry.",
    "org.springframework.scheduling."
  };

  /** Frames where meshaware runs a task: the code above it is the task's. */
  private static final String TASK_BOUNDARY_PREFIX = "dev.meshaware.core.propagation.";

  private ThreadInheritance() {}

  static boolean newThreadInherits() {
    return WALKER.walk(ThreadInheritance::judge);
  }

  private static boolean judge(Stream<StackWalker.StackFrame> stack) {
    Iterator<StackWalker.StackFrame> frames = stack.iterator();
    boolean constructing = false;
    boolean first = true;
    boolean worker = false;
    while (frames.hasNext()) {
      StackWalker.StackFrame frame = frames.next();
      String owner = frame.getClassName();
      if (isConstruction(frame)) {
        constructing = true;
        continue;
      }
      if (!constructing
          || owner.startsWith("java.lang.invoke.")
          || owner.startsWith("java.lang.reflect.")
          || owner.startsWith("jdk.internal.reflect.")) {
        continue; // meshaware's own walk, or the JDK's reflection and method-handle plumbing
      }
      if (isTaskBoundary(owner)) {
        break;
      }
      String perTask = PER_TASK.get(owner);
      if (perTask != null && (perTask.isEmpty() || perTask.equals(frame.getMethodName()))) {
        return true;
      }
      if (first) {
        first = false;
        worker = isWorkerMaker(owner);
      }
      if (!worker && (isThreadFactory(frame) || isExecutorSubmission(frame))) {
        worker = true;
      }
    }
    return !worker;
  }

  private static boolean isTaskBoundary(String owner) {
    return owner.startsWith(TASK_BOUNDARY_PREFIX)
        && (owner.endsWith(".OwnedWork") || owner.endsWith(".PropagatingRunnable"));
  }

  private static boolean isWorkerMaker(String owner) {
    for (String prefix : WORKER_MAKERS) {
      if (owner.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isThreadFactory(StackWalker.StackFrame frame) {
    if (!"newThread".equals(frame.getMethodName())) {
      return false;
    }
    Class<?> type = frame.getDeclaringClass();
    return ThreadFactory.class.isAssignableFrom(type)
        || ForkJoinPool.ForkJoinWorkerThreadFactory.class.isAssignableFrom(type);
  }

  /**
   * An application executor's {@code execute}/{@code submit}/{@code schedule}/{@code invoke} on the
   * stack: a thread it makes while being handed work (a worker started lazily with {@code new
   * Thread}) runs that executor's later work, not this request's. Thread-per-task executors were
   * let through above; a task the executor runs inline is a task boundary with the agent.
   */
  private static boolean isExecutorSubmission(StackWalker.StackFrame frame) {
    if (isWorkerMaker(frame.getClassName())) {
      // The JDK's and libraries' executors make workers through factories (seen above) or run
      // the task inline inside execute (the JDK HttpServer's default executor serves the whole
      // request there): their frames say nothing about the thread being made.
      return false;
    }
    String method = frame.getMethodName();
    if (!(method.equals("execute")
        || method.equals("submit")
        || method.startsWith("schedule")
        || method.startsWith("invoke"))) {
      return false;
    }
    return Executor.class.isAssignableFrom(frame.getDeclaringClass());
  }

  /** True for the frames of thread construction itself (and of meshaware's holder). */
  private static boolean isConstruction(StackWalker.StackFrame frame) {
    String owner = frame.getClassName();
    if (owner.startsWith("java.lang.ThreadLocal")
        || owner.startsWith("java.lang.InheritableThreadLocal")
        || owner.startsWith("java.lang.ThreadBuilders")
        || owner.equals("java.lang.Thread")
        || owner.equals("java.lang.VirtualThread")
        || owner.equals("dev.meshaware.core.propagation.CurrentHeaders$1")
        || owner.equals("dev.meshaware.core.propagation.CurrentHeaders")
        || owner.equals("dev.meshaware.core.propagation.ThreadInheritance")) {
      return true;
    }
    return frame.getMethodName().equals("<init>")
        && Thread.class.isAssignableFrom(frame.getDeclaringClass());
  }
}
