package dev.meshaware.agent.instrument;

import java.util.ArrayDeque;
import java.util.Queue;

/**
 * The agent's one start-up helper thread: work that need not happen on the application's main
 * thread (preparing the instrumentation engine) runs here, in the order it was asked for, while the
 * application starts or the startup gate waits. The thread ends when it runs out of work. Nothing
 * it runs may load a class the agent instruments (that class's load would wait for it).
 */
public final class Background {
  private static final Queue<Runnable> WORK = new ArrayDeque<>();
  private static boolean running;

  /** CPU time the thread spent, when debug lines are on (for the start-up breakdown). */
  private static final java.util.concurrent.atomic.AtomicLong CPU_NANOS =
      new java.util.concurrent.atomic.AtomicLong();

  private Background() {}

  /** Milliseconds of CPU the thread spent so far (debug lines on; else 0). */
  public static long cpuMillis() {
    return CPU_NANOS.get() / 1_000_000;
  }

  private static long cpuNanos() {
    return dev.meshaware.core.log.MeshLog.isDebugEnabled()
        ? java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime()
        : 0L;
  }

  /** Runs {@code work} on the helper thread, after what was asked for before. Never throws. */
  public static void run(Runnable work) {
    synchronized (WORK) {
      WORK.add(work);
      if (running) {
        return;
      }
      running = true;
    }
    try {
      Thread thread = new Thread(Background::drain, "meshaware-prepare");
      thread.setDaemon(true);
      thread.start();
    } catch (Throwable t) {
      synchronized (WORK) {
        running = false;
      }
    }
  }

  private static void drain() {
    while (true) {
      Runnable next;
      synchronized (WORK) {
        next = WORK.poll();
        if (next == null) {
          running = false;
          return;
        }
      }
      long start = cpuNanos();
      try {
        next.run();
      } catch (Throwable t) {
        dev.meshaware.core.log.MeshLog.debug("start-up preparation failed: " + t);
      }
      CPU_NANOS.addAndGet(cpuNanos() - start);
    }
  }
}
