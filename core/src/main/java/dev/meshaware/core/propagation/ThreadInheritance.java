package dev.meshaware.core.propagation;

import java.util.Optional;

/**
 * Decides, while a new thread is being constructed during a request, whether it belongs to that
 * request. A thread the application creates itself ({@code new Thread(task)}, a virtual thread, a
 * thread-per-task executor) does; a worker that a pool, timer or event loop creates does not,
 * because it goes on to run unrelated work long after the request ended.
 *
 * <p>The rule looks at the first frame above the thread constructors: a {@code newThread} method (a
 * ThreadFactory, i.e. a pool), or JDK and well-known library code, means a worker.
 */
final class ThreadInheritance {
  private static final StackWalker WALKER =
      StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

  /** Thread-per-task executors: each task gets a fresh thread that ends with it. */
  private static final String[] PER_TASK = {
    "java.util.concurrent.ThreadPerTaskExecutor", "java.util.concurrent.CompletableFuture$"
  };

  /** Code whose threads are long-lived workers (pools, timers, event loops, selectors). */
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

  private ThreadInheritance() {}

  static boolean newThreadInherits() {
    Optional<StackWalker.StackFrame> creator =
        WALKER.walk(frames -> frames.filter(ThreadInheritance::isCreator).findFirst());
    if (!creator.isPresent()) {
      return false;
    }
    StackWalker.StackFrame frame = creator.get();
    String owner = frame.getClassName();
    for (String perTask : PER_TASK) {
      if (owner.startsWith(perTask)) {
        return true;
      }
    }
    if (frame.getMethodName().equals("newThread")) {
      return false;
    }
    for (String prefix : WORKER_MAKERS) {
      if (owner.startsWith(prefix)) {
        return false;
      }
    }
    return true;
  }

  /** False for the frames of thread construction itself (and of meshaware). */
  private static boolean isCreator(StackWalker.StackFrame frame) {
    String owner = frame.getClassName();
    if (owner.startsWith("dev.meshaware.core.propagation.")
        || owner.startsWith("java.lang.ThreadLocal")
        || owner.startsWith("java.lang.InheritableThreadLocal")
        || owner.startsWith("java.lang.ThreadBuilders")
        || owner.equals("java.lang.Thread")
        || owner.equals("java.lang.VirtualThread")) {
      return false;
    }
    return !(frame.getMethodName().equals("<init>")
        && Thread.class.isAssignableFrom(frame.getDeclaringClass()));
  }
}
