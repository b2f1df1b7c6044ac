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
    CapturedHeaders previous = CURRENT.get();
    set(headers);
    return new Scope(previous, countedRequest);
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
    private final CapturedHeaders previous;
    private final boolean countedRequest;
    private boolean closed;

    Scope(CapturedHeaders previous, boolean countedRequest) {
      this.previous = previous;
      this.countedRequest = countedRequest;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        set(previous);
        if (countedRequest) {
          InflightRequests.exit();
        }
      }
    }
  }
}
