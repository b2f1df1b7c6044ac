package dev.meshaware.core.shutdown;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many inbound requests the application is serving right now, so that shutdown can wait for
 * them. Counted by the inbound entry points ({@code Propagation.enterInbound} and the scope it
 * returns), once per top-level request: a filter chain, a servlet inside it or a forward on the
 * same thread is still one request.
 *
 * <p>Off until {@link #enable()}: then each request costs one thread-local read and write and two
 * atomic updates.
 */
public final class InflightRequests {
  private static final AtomicInteger COUNT = new AtomicInteger();
  private static final ThreadLocal<Boolean> SERVING = new ThreadLocal<>();
  private static volatile boolean enabled;

  private InflightRequests() {}

  /** Starts counting (the shutdown drain is active). */
  public static void enable() {
    enabled = true;
  }

  /** True once {@link #enable()} was called. */
  public static boolean isEnabled() {
    return enabled;
  }

  /**
   * A request enters on this thread. Returns true when it was counted, i.e. counting is on and the
   * thread is not already serving a request; only then must {@link #exit()} follow.
   */
  public static boolean enter() {
    if (!enabled || SERVING.get() != null) {
      return false;
    }
    SERVING.set(Boolean.TRUE);
    COUNT.incrementAndGet();
    return true;
  }

  /** The request counted by the matching {@link #enter()} on this thread has left. */
  public static void exit() {
    SERVING.remove();
    COUNT.decrementAndGet();
  }

  /**
   * A request that no single thread serves from start to end (an event-loop server's: decoded on
   * one pass of the loop, answered on a later one) begins. Returns true when it was counted; only
   * then must {@link #finished()} follow, exactly once, when its response ends or its connection
   * closes.
   */
  public static boolean started() {
    if (!enabled) {
      return false;
    }
    COUNT.incrementAndGet();
    return true;
  }

  /** A request counted by {@link #started()} has ended. */
  public static void finished() {
    COUNT.decrementAndGet();
  }

  /** Requests being served now. */
  public static int count() {
    return COUNT.get();
  }
}
