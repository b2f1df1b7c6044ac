package example.isolation;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * The serial executor of {@link Executor}'s Javadoc, as applications copy it: tasks wait in its own
 * queue, and whichever task finishes hands the next one to the pool, so a task queued by one
 * request is handed over while another request's task is running.
 */
final class SerialExecutor implements Executor {
  private final Queue<Runnable> tasks = new ArrayDeque<>();
  private final Executor executor;
  private Runnable active;

  SerialExecutor(Executor executor) {
    this.executor = executor;
  }

  @Override
  public synchronized void execute(Runnable r) {
    tasks.add(
        () -> {
          try {
            r.run();
          } finally {
            scheduleNext();
          }
        });
    if (active == null) {
      scheduleNext();
    }
  }

  private synchronized void scheduleNext() {
    if ((active = tasks.poll()) != null) {
      executor.execute(active);
    }
  }
}
