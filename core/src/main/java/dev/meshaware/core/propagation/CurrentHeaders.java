package dev.meshaware.core.propagation;

import dev.meshaware.core.shutdown.InflightRequests;

/**
 * The headers of the request the current thread is serving. Every change goes through a {@link
 * Scope} that puts back exactly what was there before, so a pooled thread never keeps a finished
 * request's headers.
 *
 * <p>The holder is inheritable so that a thread the application starts while serving a request
 * carries its headers; {@link ThreadInheritance} keeps pool and event-loop threads, which outlive
 * the request, from inheriting.
 */
public final class CurrentHeaders {
  private static final ThreadLocal<CapturedHeaders> CURRENT =
      new InheritableThreadLocal<CapturedHeaders>() {
        @Override
        protected CapturedHeaders childValue(CapturedHeaders parent) {
          return parent != null && ThreadInheritance.newThreadInherits() ? parent : null;
        }
      };

  private CurrentHeaders() {}

  /** The headers of the request being served on this thread, or null. */
  public static CapturedHeaders get() {
    return CURRENT.get();
  }

  /** Makes {@code headers} (may be null: "no request") current until the scope is closed. */
  public static Scope open(CapturedHeaders headers) {
    return open(headers, false);
  }

  /**
   * As {@link #open(CapturedHeaders)}, for an inbound request: when {@code countedRequest}, closing
   * the scope also ends the request's {@link InflightRequests} count.
   */
  static Scope open(CapturedHeaders headers, boolean countedRequest) {
    return open(headers, countedRequest ? Scope.COUNTED : Scope.NOT_COUNTED);
  }

  /** As {@link #open(CapturedHeaders, boolean)}, with how the scope ends the request's count. */
  static Scope open(CapturedHeaders headers, byte inflight) {
    CapturedHeaders previous = CURRENT.get();
    set(headers);
    return new Scope(previous, inflight);
  }

  private static void set(CapturedHeaders headers) {
    if (headers == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(headers);
    }
  }

  /** Restores what was current before {@link #open}; closing twice is harmless. */
  public static final class Scope implements AutoCloseable {
    /** Closing touches no count. */
    static final byte NOT_COUNTED = 0;

    /** Closing ends the request's count ({@link InflightRequests#exit()}). */
    static final byte COUNTED = 1;

    /**
     * The request is counted elsewhere, from its start to its end; closing only unmarks the thread
     * ({@link InflightRequests#unmark()}).
     */
    static final byte MARKED = 2;

    private final CapturedHeaders previous;
    private final byte inflight;
    private boolean closed;

    Scope(CapturedHeaders previous, byte inflight) {
      this.previous = previous;
      this.inflight = inflight;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        set(previous);
        if (inflight == COUNTED) {
          InflightRequests.exit();
        } else if (inflight == MARKED) {
          InflightRequests.unmark();
        }
      }
    }
  }
}
