package dev.meshaware.core.shutdown;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The time a drain reads and waits on: the JVM's, or a test's that moves only when told. */
public interface DrainClock {
  /** The JVM's monotonic clock, and real waiting. */
  DrainClock SYSTEM =
      new DrainClock() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public boolean await(CountDownLatch latch, long nanos) throws InterruptedException {
          return latch.await(nanos, TimeUnit.NANOSECONDS);
        }
      };

  /** Now, in nanoseconds, on a clock that only moves forward. */
  long nanoTime();

  /** Waits up to {@code nanos} for {@code latch}; true when it opened. */
  boolean await(CountDownLatch latch, long nanos) throws InterruptedException;
}
