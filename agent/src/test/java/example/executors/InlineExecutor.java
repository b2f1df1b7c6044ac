package example.executors;

import java.util.concurrent.Executor;

/** Runs each task on the calling thread. */
public class InlineExecutor implements Executor {
  @Override
  public void execute(Runnable task) {
    task.run();
  }
}
