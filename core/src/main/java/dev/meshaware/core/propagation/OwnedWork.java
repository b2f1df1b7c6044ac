package dev.meshaware.core.propagation;

import java.util.concurrent.Callable;

/**
 * The hooks instrumented executors, thread pools and futures call, one rule for all of them
 * (README, "Isolation"): work belongs to the request that <em>defined</em> it, and runs with
 * exactly that request's headers, or with none when it has no owner, whatever the thread that runs
 * it held before; that thread's own state comes back afterwards.
 *
 * <ul>
 *   <li>{@link #submitted}: a task handed to an executor (at {@code execute}, {@code submit},
 *       {@code schedule}, {@code fork}): the current request owns it, or none does.
 *   <li>{@link #defined}: work whose owner is fixed when it is made (a {@code CompletableFuture}
 *       stage belongs to whoever registered it, not to whoever completes the future).
 *   <li>{@link #runTask}/{@link #callTask}: where a pool or a queue-draining executor runs a task:
 *       with its owner's headers, or none.
 *   <li>{@link #runInner}/{@link #callInner}: where an adapter runs the task it wraps, inside work
 *       whose scope is already open: its own owner if it has one, else as it is.
 * </ul>
 *
 * <p>Nothing here wraps or replaces an application object: ownership is recorded beside the object
 * ({@link WorkOwners}). Every method is safe to call with propagation off: it then does nothing but
 * run the work.
 */
public final class OwnedWork {
  private OwnedWork() {}

  /** {@code task} was handed to an executor; the current request (or none) owns it. */
  public static void submitted(Object task) {
    if (task != null && forwards(Propagation.policy()) && !isVirtualThreadStep(task)) {
      if (PERIODIC_EXTENT.get() != null) {
        scheduled(task, true);
        return;
      }
      boolean passedOn = PASSING_ON.get() == task;
      WorkOwners.submitted(task, WorkOwners.ownerOf(CurrentHeaders.get()), passedOn);
    }
  }

  /** The task an executor is passing on to another executor on this thread, if any. */
  private static final ThreadLocal<Object> PASSING_ON = new ThreadLocal<>();

  /** Set while a periodic schedule method of a library executor runs on this thread. */
  private static final ThreadLocal<Boolean> PERIODIC_EXTENT = new ThreadLocal<>();

  /**
   * An executor hands {@code task}, which it was given, to {@code next}: the submission that
   * follows keeps the task's first owner (the first submission wins), whichever request's thread
   * passes it.
   */
  public static void passOn(java.util.concurrent.Executor next, Runnable task) {
    Object outer = PASSING_ON.get();
    PASSING_ON.set(task);
    try {
      next.execute(task);
    } finally {
      if (outer == null) {
        PASSING_ON.set(null);
      } else {
        PASSING_ON.set(outer);
      }
    }
  }

  /** A library's periodic schedule method begins: what it submits is periodic work. */
  public static void periodicBegin() {
    PERIODIC_EXTENT.set(Boolean.TRUE);
  }

  /** The periodic schedule method returns. */
  public static void periodicEnd() {
    PERIODIC_EXTENT.set(null);
  }

  /**
   * A virtual thread's continuation, handed to its carrier pool on every unpark: the virtual thread
   * keeps its own headers, so its steps need no owner.
   */
  private static boolean isVirtualThreadStep(Object task) {
    return task.getClass().getName().startsWith("java.lang.VirtualThread");
  }

  /** False when propagation is off or only counts requests (no header names to forward). */
  private static boolean forwards(HeaderPolicy policy) {
    return policy != null && policy.nameCount() > 0;
  }

  /**
   * {@code task} was scheduled; periodic work carries nothing unless {@code
   * meshaware.propagation.periodic=inherit}, one-shot work is {@link #submitted}.
   */
  public static void scheduled(Object task, boolean periodic) {
    HeaderPolicy policy = Propagation.policy();
    if (task == null || !forwards(policy)) {
      return;
    }
    if (!periodic) {
      WorkOwners.submitted(task, WorkOwners.ownerOf(CurrentHeaders.get()), false);
    } else {
      CapturedHeaders headers =
          policy.periodic() == PeriodicWork.INHERIT ? CurrentHeaders.get() : null;
      WorkOwners.periodic(task, WorkOwners.ownerOf(headers));
    }
  }

  /** {@code work} was just made by the current request (or outside any); that never changes. */
  public static void defined(Object work) {
    if (work != null && forwards(Propagation.policy())) {
      WorkOwners.defined(work, WorkOwners.ownerOf(CurrentHeaders.get()));
    }
  }

  /**
   * {@code listener} was added to {@code future} (a Netty or Vert.x future), to be called once when
   * it completes: the current request (or none) owns this registration, which only this future's
   * notification consumes ({@link #enterListener}).
   */
  public static void listenerAdded(Object future, Object listener) {
    if (future != null && listener != null && forwards(Propagation.policy())) {
      WorkOwners.listenerAdded(future, listener, WorkOwners.ownerOf(CurrentHeaders.get()));
    }
  }

  /** {@code listener} was taken back from {@code future} before it was called. */
  public static void listenerRemoved(Object future, Object listener) {
    if (future != null && listener != null) {
      WorkOwners.listenerRemoved(future, listener);
    }
  }

  /**
   * Opens the scope of {@code future} calling {@code listener}, consuming its registration: its
   * owner's headers; as it is when the future has no registration of it (a future already complete
   * calls the listener at once, on the adding request's thread). Close with {@link #exit}.
   */
  public static Object enterListener(Object future, Object listener) {
    return openFor(WorkOwners.listenerCalled(future, listener), false);
  }

  /**
   * As {@link #enterListener}, for every listener of {@code future} called together in one loop:
   * their common owner, or none when they differ; every registration is consumed.
   */
  public static Object enterListeners(Object future) {
    Object owner = WorkOwners.listenersCalled(future);
    return owner == WorkOwners.NONE ? openFor(owner, true) : openFor(owner, false);
  }

  /** {@code task} was refused by its executor: this submission will never run. */
  public static void rejected(Object task) {
    if (task != null) {
      WorkOwners.release(task);
    }
  }

  /** Runs a pooled or queued task with its owner's headers, or with none. */
  public static void runTask(Runnable task) {
    CurrentHeaders.Scope scope = openFor(WorkOwners.take(task), true);
    try {
      task.run();
    } finally {
      close(scope);
    }
  }

  /** The {@link Callable} form of {@link #runTask}. */
  public static Object callTask(Callable<?> task) throws Exception {
    CurrentHeaders.Scope scope = openFor(WorkOwners.take(task), true);
    try {
      return task.call();
    } finally {
      close(scope);
    }
  }

  /** Runs a wrapped task with its own owner's headers if it has one, else in the current scope. */
  public static void runInner(Runnable task) {
    CurrentHeaders.Scope scope = openFor(WorkOwners.take(task), false);
    try {
      task.run();
    } finally {
      close(scope);
    }
  }

  /** The {@link Callable} form of {@link #runInner}. */
  public static Object callInner(Callable<?> task) throws Exception {
    CurrentHeaders.Scope scope = openFor(WorkOwners.take(task), false);
    try {
      return task.call();
    } finally {
      close(scope);
    }
  }

  /**
   * Opens the scope of defined work about to fire (a future's stage, which may fire more than
   * once).
   */
  public static Object enterDefined(Object work) {
    return openFor(WorkOwners.peek(work), false);
  }

  /** Scopes opened by {@link #beginTask}, innermost first, per thread. */
  private static final ThreadLocal<TaskFrame> RUNNING = new ThreadLocal<>();

  /**
   * Opens the scope of {@code task} for a method that runs it and returns normally whatever the
   * task throws; {@link #endTask} at each return closes it. Kept on a per-thread stack because such
   * runs nest (a fork/join worker helps run the task it joins).
   */
  public static void beginTask(Object task) {
    RUNNING.set(new TaskFrame(openFor(WorkOwners.take(task), false), RUNNING.get()));
  }

  /** Closes the innermost scope {@link #beginTask} opened on this thread. */
  public static void endTask() {
    TaskFrame frame = RUNNING.get();
    if (frame != null) {
      if (frame.outer == null) {
        RUNNING.set(null);
      } else {
        RUNNING.set(frame.outer);
      }
      close(frame.scope);
    }
  }

  private static final class TaskFrame {
    final CurrentHeaders.Scope scope;
    final TaskFrame outer;

    TaskFrame(CurrentHeaders.Scope scope, TaskFrame outer) {
      this.scope = scope;
      this.outer = outer;
    }
  }

  /** Closes what {@link #enterDefined} returned; null is ignored. */
  public static void exit(Object scope) {
    if (scope instanceof CurrentHeaders.Scope) {
      ((CurrentHeaders.Scope) scope).close();
    }
  }

  /**
   * The scope for {@code owner}: null (nothing to close) when the thread already holds exactly that
   * state, or when the work has no recorded owner and {@code noneWhenUnknown} is false.
   */
  private static CurrentHeaders.Scope openFor(Object owner, boolean noneWhenUnknown) {
    if (owner == null && !noneWhenUnknown) {
      return null;
    }
    CapturedHeaders headers = WorkOwners.headersOf(owner);
    if (CurrentHeaders.get() == headers) {
      return null;
    }
    return CurrentHeaders.open(headers);
  }

  private static void close(CurrentHeaders.Scope scope) {
    if (scope != null) {
      scope.close();
    }
  }

  /** How many pending objects have a recorded owner, for tests and diagnostics. */
  public static int pending() {
    return WorkOwners.size() + WorkOwners.futuresWithListeners();
  }
}
