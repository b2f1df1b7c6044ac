package dev.meshaware.core.propagation;

/**
 * A task submitted during a request, carrying that request's headers to the thread that runs it,
 * even when it runs after the request ended (a one-shot fan-out belongs to its request).
 */
public final class PropagatingRunnable implements Runnable {
  private final Runnable task;
  private final CapturedHeaders headers;

  private PropagatingRunnable(Runnable task, CapturedHeaders headers) {
    this.task = task;
    this.headers = headers;
  }

  /** {@code task} itself when no request is being served (nothing changes), else a carrier. */
  public static Runnable wrap(Runnable task) {
    CapturedHeaders headers = CurrentHeaders.get();
    if (headers == null || task == null || task instanceof PropagatingRunnable) {
      return task;
    }
    return new PropagatingRunnable(task, headers);
  }

  /**
   * A carrier of {@code task} that runs it with exactly the current request's headers, or with none
   * when no request is being served, whatever the thread that runs it holds: for decorators that
   * see every task a pool runs (Spring's {@code TaskDecorator}), where "no owner" must also be
   * enforced.
   */
  public static Runnable owned(Runnable task) {
    if (task == null || task instanceof PropagatingRunnable) {
      return task;
    }
    return new PropagatingRunnable(task, CurrentHeaders.get());
  }

  /**
   * A carrier of a periodic {@code task} scheduled now, for decorators that see every run of a
   * scheduler: every run carries the current request's headers under {@code
   * meshaware.propagation.periodic=inherit}, else none, whatever the thread that runs it holds (see
   * {@link PeriodicWork}).
   */
  public static Runnable periodic(Runnable task) {
    if (task == null || task instanceof PropagatingRunnable) {
      return task;
    }
    HeaderPolicy policy = Propagation.policy();
    boolean inherit = policy != null && policy.periodic() == PeriodicWork.INHERIT;
    return new PropagatingRunnable(task, inherit ? CurrentHeaders.get() : null);
  }

  /** The application's task. */
  public Runnable unwrap() {
    return task;
  }

  @Override
  public void run() {
    if (CurrentHeaders.get() == headers) {
      task.run();
      return;
    }
    try (CurrentHeaders.Scope ignored = CurrentHeaders.open(headers)) {
      task.run();
    }
  }

  @Override
  public String toString() {
    return task.toString();
  }
}
