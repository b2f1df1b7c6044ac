package dev.meshaware.core.propagation;

/**
 * The entry that carries a request's headers through a reactive pipeline, in the subscriber context
 * a reactive library hands from subscriber to subscriber (Reactor's {@code Context}). A pipeline
 * hops between event-loop and scheduler threads that a thread-local cannot follow, while its
 * context travels with every subscription. Core knows no reactive library: it names the entry and
 * says what its value means; the edges read and write the library's context.
 *
 * <p>The entry's value is the request's {@link CapturedHeaders}, or a marker when the request had
 * none to forward. The marker matters: a pipeline that belongs to a request must never fall back to
 * whatever the thread it happens to run on holds, which may be another request's headers.
 */
public final class SubscriberContext {
  /** The context key; its value is what {@link #valueFor} returns. */
  public static final String KEY = "meshaware.headers";

  /** The value for a request without headers to forward. */
  private static final Object NO_HEADERS = new NoHeaders();

  private SubscriberContext() {}

  /** What to store under {@link #KEY} for a request whose captured headers are {@code headers}. */
  public static Object valueFor(CapturedHeaders headers) {
    return headers != null ? headers : NO_HEADERS;
  }

  /**
   * The headers to add to an outbound call to {@code host} made in a pipeline whose context holds
   * {@code value} under {@link #KEY} (null when it holds none), or null: the request had no
   * headers, propagation is off, or the host is excluded.
   */
  public static CapturedHeaders outbound(Object value, String host) {
    if (!(value instanceof CapturedHeaders)) {
      return null;
    }
    HeaderPolicy active = Propagation.policy();
    return active != null && active.forwardsTo(host) ? (CapturedHeaders) value : null;
  }

  /**
   * The headers a pipeline whose context holds {@code value} under {@link #KEY} carries, whatever
   * the destination, or null: none, or propagation is off. For a client that keeps them with a call
   * and checks each request it sends with {@link Propagation#forDestination}.
   */
  public static CapturedHeaders carried(Object value) {
    return value instanceof CapturedHeaders && Propagation.policy() != null
        ? (CapturedHeaders) value
        : null;
  }

  /**
   * {@link #outbound(Object, String)} for a call to {@code uri}: its host (none, as {@code
   * java.net.URI} gives for a name with {@code _}, counts as excluded while exclusions are set) and
   * its port or the scheme's default.
   */
  public static CapturedHeaders outbound(Object value, java.net.URI uri) {
    if (!(value instanceof CapturedHeaders)) {
      return null;
    }
    HeaderPolicy active = Propagation.policy();
    return active != null && active.forwardsTo(uri) ? (CapturedHeaders) value : null;
  }

  /** Readable in a dumped context. */
  private static final class NoHeaders {
    @Override
    public String toString() {
      return "{} (a request without headers to forward)";
    }
  }
}
