package example.isolation;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * An executor that passes each task on, as it is, to a pool from a relay thread of its own: the
 * task reaches the pool in a second submission, made by a thread that serves whichever request made
 * the executor. The first submission is the one that counts.
 */
final class RelayExecutor implements Executor {
  private final BlockingQueue<Runnable> pending = new LinkedBlockingQueue<>();

  RelayExecutor(Executor pool) {
    Thread relay =
        new Thread(
            () -> {
              try {
                while (true) {
                  pool.execute(pending.take());
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "relay");
    relay.setDaemon(true);
    relay.start();
  }

  @Override
  public void execute(Runnable task) {
    pending.add(task);
  }
}
