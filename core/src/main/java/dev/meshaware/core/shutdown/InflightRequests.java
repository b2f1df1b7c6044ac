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
    SERVING.set(null);
    COUNT.decrementAndGet();
  }

  /**
   * A request starts that its server sees end on another thread than the one it started on (an
   * event loop that hands it to a worker, an exchange ended from a callback): counted now, whatever
   * thread serves it, until {@link #end()}. Returns true when it was counted (counting is on); only
   * then must {@link #end()} follow, exactly once. The threads that work on it mark themselves with
   * {@link #mark()} so that a nested entry point (a servlet inside) does not count it again.
   */
  public static boolean begin() {
    if (!enabled) {
      return false;
    }
    COUNT.incrementAndGet();
    return true;
  }

  /** The request counted by a matching {@link #begin()} has ended. */
  public static void end() {
    COUNT.decrementAndGet();
  }

  /**
   * This thread works on a request counted with {@link #begin()}: nested entry points on it do not
   * count it again. Returns true when it marked the thread (counting is on and the thread was not
   * already serving); only then must {@link #unmark()} follow.
   */
  public static boolean mark() {
    if (!enabled || SERVING.get() != null) {
      return false;
    }
    SERVING.set(Boolean.TRUE);
    return true;
  }

  /** The thread marked by the matching {@link #mark()} is done with its request. */
  public static void unmark() {
    SERVING.set(null);
  }

  /** Requests being served now. */
  public static int count() {
    return COUNT.get();
  }
}
