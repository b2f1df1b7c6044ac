package dev.meshaware.core.propagation;

import java.util.concurrent.Callable;

/** The {@link Callable} twin of {@link PropagatingRunnable}. */
public final class PropagatingCallable<V> implements Callable<V> {
  private final Callable<V> task;
  private final CapturedHeaders headers;

  private PropagatingCallable(Callable<V> task, CapturedHeaders headers) {
    this.task = task;
    this.headers = headers;
  }

  /** {@code task} itself when no request is being served, else a carrier. */
  public static <V> Callable<V> wrap(Callable<V> task) {
    CapturedHeaders headers = CurrentHeaders.get();
    if (headers == null || task == null || task instanceof PropagatingCallable) {
      return task;
    }
    return new PropagatingCallable<>(task, headers);
  }

  @Override
  public V call() throws Exception {
    try (CurrentHeaders.Scope ignored = CurrentHeaders.open(headers)) {
      return task.call();
    }
  }

  @Override
  public String toString() {
    return task.toString();
  }
}
