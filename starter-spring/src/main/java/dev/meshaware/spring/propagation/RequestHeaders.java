package dev.meshaware.spring.propagation;

import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.CurrentHeaders;
import dev.meshaware.core.propagation.HeaderPolicy;
import dev.meshaware.core.propagation.Propagation;
import dev.meshaware.core.propagation.SubscriberContext;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Where the starter's filters put a request's headers and its clients find them: core's
 * thread-local first (through {@link Propagation}), then any {@link HeaderContext} the application
 * carries across threads. Decisions (which headers, which values, which hosts) stay core's.
 */
public final class RequestHeaders {
  private static final Scope NOTHING = () -> {};

  private final List<HeaderContext> contexts;

  public RequestHeaders(List<HeaderContext> contexts) {
    this.contexts = List.copyOf(contexts);
  }

  /**
   * The headers core's policy captures from an inbound request whose header values {@code header}
   * reads; null when there are none (or propagation is off).
   */
  public static CapturedHeaders capture(UnaryOperator<String> header) {
    HeaderPolicy policy = Propagation.policy();
    return policy == null ? null : policy.capture(raw(policy, header));
  }

  /**
   * Opens the scope of an inbound request on this thread; closing it restores exactly what was
   * there before. Does nothing when propagation is off or this request is already current.
   */
  public Scope enter(UnaryOperator<String> header, Object request) {
    HeaderPolicy policy = Propagation.policy();
    if (policy == null) {
      return NOTHING;
    }
    CurrentHeaders.Scope thread = Propagation.enterInbound(raw(policy, header), request);
    if (thread == null) {
      return NOTHING;
    }
    List<Scope> scopes = new ArrayList<>(contexts.size() + 1);
    scopes.add(thread::close);
    Object value = SubscriberContext.valueFor(CurrentHeaders.get());
    for (HeaderContext context : contexts) {
      scopes.add(context.enter(value));
    }
    return () -> {
      for (int i = scopes.size() - 1; i >= 0; i--) {
        scopes.get(i).close();
      }
    };
  }

  /**
   * The headers for an outbound call to {@code uri}, or null. A thread serving a request answers
   * for itself (unless the call runs in a future's callback another completion runs: {@link
   * CompletionCallbacks}); a thread without one (a pool worker) looks in the contexts the
   * application carried to it. Core decides whether the host may have them (a URI whose host {@code
   * java.net.URI} could not read counts as excluded while exclusions are set).
   */
  public CapturedHeaders forUri(URI uri) {
    if (CurrentHeaders.get() != null) {
      return outsideCompletions(Propagation.outbound(uri));
    }
    for (HeaderContext context : contexts) {
      Object value = context.current();
      if (value != null) {
        return SubscriberContext.outbound(value, uri);
      }
    }
    return null;
  }

  /**
   * The headers of the request a call made now belongs to, whatever its destination, or null: for a
   * client that keeps them with the call and checks each request it sends (see {@link
   * OkHttpHeaderInterceptor}).
   */
  public CapturedHeaders forCall() {
    if (CurrentHeaders.get() != null) {
      return outsideCompletions(Propagation.forCall());
    }
    for (HeaderContext context : contexts) {
      Object value = context.current();
      if (value != null) {
        return SubscriberContext.carried(value);
      }
    }
    return null;
  }

  /**
   * {@code headers}, unless the call runs in a callback another party's completion runs: the stack
   * is walked only when there are headers to send (none for an excluded host).
   */
  private static CapturedHeaders outsideCompletions(CapturedHeaders headers) {
    return headers == null || CompletionCallbacks.callInAnotherCompletion() ? null : headers;
  }

  private static String[] raw(HeaderPolicy policy, UnaryOperator<String> header) {
    String[] raw = new String[policy.nameCount()];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = header.apply(policy.name(i));
    }
    return raw;
  }

  /** A scope that never throws on close. */
  @FunctionalInterface
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
