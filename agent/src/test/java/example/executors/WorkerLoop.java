package example.executors;

import java.util.concurrent.BlockingQueue;

/** The loop of {@link LazyWorkerExecutor}'s worker: runs what is queued, forever. */
public class WorkerLoop implements Runnable {
  private final BlockingQueue<Runnable> queue;

  public WorkerLoop(BlockingQueue<Runnable> queue) {
    this.queue = queue;
  }

  @Override
  public void run() {
    try {
      while (true) {
        queue.take().run();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
