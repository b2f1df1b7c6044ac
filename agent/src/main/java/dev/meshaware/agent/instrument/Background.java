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

  /** Work that must not wait behind preparation (retransformations: the JVM's exit watch). */
  private static final java.util.Deque<Runnable> URGENT = new ArrayDeque<>();

  private static boolean running;

  /** CPU time the thread spent, when debug lines are on (for the start-up breakdown). */
  private static final java.util.concurrent.atomic.AtomicLong CPU_NANOS =
      new java.util.concurrent.atomic.AtomicLong();

  private static volatile boolean gateWaiting;

  private Background() {}

  /**
   * Marks the time the startup gate waits: work meant for that idle time ({@link #gateWaiting()})
   * stops when it ends, so that it never competes with the application's start.
   */
  public static void gateWaiting(boolean waiting) {
    gateWaiting = waiting;
  }

  /** True while the startup gate waits. */
  public static boolean gateWaiting() {
    return gateWaiting;
  }

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
    schedule(work, false, false);
  }

  /**
   * Runs {@code work} on the helper thread before any preparation still waiting: after the urgent
   * work asked for before, or, {@code first}, ahead of it. Never throws.
   */
  public static void runUrgent(Runnable work, boolean first) {
    schedule(work, true, first);
  }

  private static void schedule(Runnable work, boolean urgent, boolean first) {
    synchronized (WORK) {
      if (!urgent) {
        WORK.add(work);
      } else if (first) {
        URGENT.addFirst(work);
      } else {
        URGENT.addLast(work);
      }
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
        next = URGENT.isEmpty() ? WORK.poll() : URGENT.poll();
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
