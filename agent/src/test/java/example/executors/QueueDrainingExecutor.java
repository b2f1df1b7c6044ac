package example.executors;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * A serial executor in the shape of the {@link Executor} Javadoc's: whichever thread finds the
 * queue idle drains it, running tasks queued by other requests. Woven by the tests, never loaded as
 * it is.
 */
public class QueueDrainingExecutor implements Executor {
  private final Queue<Runnable> tasks = new ArrayDeque<>();
  private boolean draining;

  @Override
  public void execute(Runnable task) {
    synchronized (this) {
      tasks.add(task);
      if (draining) {
        return;
      }
      draining = true;
    }
  }

  /** Runs everything queued so far on the calling thread. */
  public void drain() {
    while (true) {
      Runnable next;
      synchronized (this) {
        next = tasks.poll();
        if (next == null) {
          draining = false;
          return;
        }
      }
      next.run();
    }
  }
}
