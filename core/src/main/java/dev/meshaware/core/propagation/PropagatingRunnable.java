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

  /** The application's task. */
  public Runnable unwrap() {
    return task;
  }

  @Override
  public void run() {
    try (CurrentHeaders.Scope ignored = CurrentHeaders.open(headers)) {
      task.run();
    }
  }

  @Override
  public String toString() {
    return task.toString();
  }
}
