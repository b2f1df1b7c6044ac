package example.executors;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A serial executor that hands the application's own task object to a pool, the next one from the
 * pool's {@code afterExecute} (so from a pool worker, outside any request).
 */
public class PassThroughSerialExecutor implements Executor {
  private final Queue<Runnable> tasks = new ArrayDeque<>();
  private final ThreadPoolExecutor pool =
      new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>()) {
        @Override
        protected void afterExecute(Runnable task, Throwable thrown) {
          next();
        }
      };
  private boolean running;

  @Override
  public synchronized void execute(Runnable task) {
    tasks.add(task);
    if (!running) {
      next();
    }
  }

  private synchronized void next() {
    Runnable task = tasks.poll();
    running = task != null;
    if (task != null) {
      pool.execute(task);
    }
  }
}
