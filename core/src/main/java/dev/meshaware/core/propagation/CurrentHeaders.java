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

  /**
   * The inbound request object whose entry point opened the innermost scope on this thread (null in
   * any other scope), so that a nested entry point of the same request neither reads its headers
   * again nor counts it twice. Kept here, beside the headers and not in them: headers outlive the
   * request in every piece of work it leaves pending, and must not keep its request object alive.
   */
  private static final ThreadLocal<Object> SERVING = new ThreadLocal<>();

  private CurrentHeaders() {}

  /** The headers of the request being served on this thread, or null. */
  public static CapturedHeaders get() {
    return CURRENT.get();
  }

  /** Makes {@code headers} (may be null: "no request") current until the scope is closed. */
  public static Scope open(CapturedHeaders headers) {
    return open(headers, Scope.NOT_COUNTED, null);
  }

  /** The inbound request whose entry point opened the innermost scope on this thread, or null. */
  static Object serving() {
    return SERVING.get();
  }

  /**
   * Makes {@code headers} current and {@code origin} the request served (null: none), with how the
   * scope ends the request's count.
   */
  static Scope open(CapturedHeaders headers, byte inflight, Object origin) {
    CapturedHeaders previous = CURRENT.get();
    Object previousOrigin = SERVING.get();
    set(headers);
    if (origin != previousOrigin) {
      serve(origin);
    }
    return new Scope(previous, previousOrigin, origin, inflight);
  }

  private static void serve(Object origin) {
    SERVING.set(origin);
  }

  /**
   * Null is set, not removed: a removed entry is made anew (a weak reference) at the next set, and
   * scopes open and close for every callback of every request. A null value holds nothing.
   */
  private static void set(CapturedHeaders headers) {
    CURRENT.set(headers);
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
    private final Object previousOrigin;
    private final boolean originChanged;
    private final byte inflight;
    private boolean closed;

    Scope(CapturedHeaders previous, Object previousOrigin, Object origin, byte inflight) {
      this.previous = previous;
      this.previousOrigin = previousOrigin;
      this.originChanged = origin != previousOrigin;
      this.inflight = inflight;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        set(previous);
        // Also when this scope did not change it: a scope opened inside this one and left open
        // (overtaken, see ProcessedRecords) may have; what was there before is put back exactly.
        if (originChanged || SERVING.get() != previousOrigin) {
          serve(previousOrigin);
        }
        if (inflight == COUNTED) {
          InflightRequests.exit();
        } else if (inflight == MARKED) {
          InflightRequests.unmark();
        }
      }
    }
  }
}
