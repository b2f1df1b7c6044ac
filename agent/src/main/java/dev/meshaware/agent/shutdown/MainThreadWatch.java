package dev.meshaware.agent.shutdown;

import dev.meshaware.core.shutdown.JvmEnding;

/**
 * Notes an uncaught exception in {@code main}, after which the launcher exits with status 1 but the
 * JVM's shutdown looks like a clean one (the last thread ended). {@code premain} runs on the thread
 * that then runs {@code main}, so the agent gives that thread a handler of its own, which notes the
 * failure and passes the exception on to whatever handled it before: by default the thread group,
 * which prints it, so the application sees the same output and status as without the agent. An
 * application that later sets a handler on its main thread replaces this one; if it chains to the
 * previous handler, as Spring Boot does, the failure is still noted.
 */
final class MainThreadWatch implements Thread.UncaughtExceptionHandler {
  private final Thread.UncaughtExceptionHandler previous;

  private MainThreadWatch(Thread.UncaughtExceptionHandler previous) {
    this.previous = previous;
  }

  /** Watches the calling thread if it is the launcher's {@code main}; false otherwise. */
  static boolean watchCurrentThread() {
    Thread main = Thread.currentThread();
    if (!"main".equals(main.getName())) {
      return false;
    }
    main.setUncaughtExceptionHandler(new MainThreadWatch(main.getUncaughtExceptionHandler()));
    JvmEnding.process().watchMainThread();
    return true;
  }

  @Override
  public void uncaughtException(Thread thread, Throwable failure) {
    JvmEnding.process().mainThreadFailed();
    previous.uncaughtException(thread, failure);
  }
}
