package dev.meshaware.agent.instrument;

import java.util.function.Supplier;

/**
 * A value worked out once, on whichever thread comes first: the agent's background thread while the
 * application starts, or a thread that needs it before that thread got to it. A thread that needs
 * it while the background thread is still at it waits a bounded time, then works it out itself, so
 * a busy or stuck background thread never holds the application.
 */
final class Prepared<T> {
  private final Supplier<T> work;
  private boolean started;
  private boolean done;
  private Thread runner;
  private T value;

  Prepared(Supplier<T> work) {
    this.work = work;
  }

  /** Works the value out here unless another thread started already (background use). */
  void runIfNotStarted() {
    synchronized (this) {
      if (started) {
        return;
      }
      started = true;
      runner = Thread.currentThread();
    }
    finish(compute());
  }

  /**
   * The value: at once when ready; else waits up to {@code waitMillis} for the thread working it
   * out, then works it out here. Null when this very thread is the one working it out (a class
   * loaded while the value is made) or the work failed.
   */
  T get(long waitMillis) {
    synchronized (this) {
      if (done) {
        return value;
      }
      if (!started) {
        started = true;
        runner = Thread.currentThread();
      } else if (runner == Thread.currentThread()) {
        return null;
      } else {
        long end = System.nanoTime() + waitMillis * 1_000_000L;
        long left;
        while (!done && (left = end - System.nanoTime()) > 0) {
          try {
            wait(Math.max(1L, left / 1_000_000L));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            break;
          }
        }
        if (done) {
          return value;
        }
      }
    }
    // Not started yet, or the background thread is slow or stuck: never hold the application.
    T made = compute();
    finish(made);
    return made;
  }

  private T compute() {
    try {
      return work.get();
    } catch (Throwable e) { // any error: never leave the other threads waiting for it
      dev.meshaware.core.log.MeshLog.debug("cannot prepare the instrumentation engine: " + e);
      return null;
    }
  }

  private synchronized void finish(T made) {
    if (!done) {
      value = made;
      done = true;
    }
    notifyAll();
  }
}
