package example.executors;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * An application's own executor that starts its single worker on the first {@code execute}, with
 * {@code new Thread} (no {@code ThreadFactory}), and whose worker loop lives in a class of its own.
 */
public class LazyWorkerExecutor implements Executor {
  private final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
  private Thread worker;

  @Override
  public synchronized void execute(Runnable task) {
    queue.add(task);
    if (worker == null) {
      start();
    }
  }

  private void start() {
    worker = new Thread(new WorkerLoop(queue), "lazy-worker");
    worker.setDaemon(true);
    worker.start();
  }
}
