package dev.meshaware.core.propagation;

import dev.meshaware.core.shutdown.InflightRequests;
import java.net.URI;

/**
 * The process-wide entry points that instrumentation (agent advice, starter filters and
 * interceptors) calls. Everything here is cheap when propagation is off or no request is being
 * served: one volatile read or one thread-local read.
 */
public final class Propagation {
  private static volatile HeaderPolicy policy;

  private Propagation() {}

  /** Turns propagation on with {@code newPolicy}; null turns it off. */
  public static void install(HeaderPolicy newPolicy) {
    policy = newPolicy;
  }

  /** The installed policy, or null when propagation is off. */
  public static HeaderPolicy policy() {
    return policy;
  }

  /**
   * Opens the scope of an inbound request whose raw header values, in the order of {@link
   * HeaderPolicy#names()}, are {@code raw}. Returns null (nothing to close) when propagation is off
   * or when this same request is already current, e.g. a servlet inside its own filter chain. The
   * first scope a thread opens for a request also counts it in {@link InflightRequests}.
   */
  public static CurrentHeaders.Scope enterInbound(String[] raw, Object request) {
    HeaderPolicy active = policy;
    if (active == null) {
      return null;
    }
    if (request != null && CurrentHeaders.serving() == request) {
      return null;
    }
    // Even a request without trace headers opens a scope: it must hide whatever the thread had.
    // The scope also carries the request's place in the in-flight count that shutdown waits on.
    CapturedHeaders captured = active.capture(raw);
    return CurrentHeaders.open(
        captured,
        InflightRequests.enter() ? CurrentHeaders.Scope.COUNTED : CurrentHeaders.Scope.NOT_COUNTED,
        request);
  }

  /**
   * Opens the scope of an inbound request whose headers were captured once when it arrived ({@code
   * captured}, null: it had none), for a server whose request moves between threads (an event loop,
   * then a worker) and which counts it itself with {@link InflightRequests#begin()} and {@link
   * InflightRequests#end()} from its start to its end: this scope counts nothing, it only marks the
   * thread as serving, so a nested entry point (a servlet inside) neither counts the request again
   * nor reads its headers again. Returns null when propagation is off.
   */
  public static CurrentHeaders.Scope enterCaptured(CapturedHeaders captured, Object request) {
    if (policy == null) {
      return null;
    }
    return CurrentHeaders.open(
        captured,
        InflightRequests.mark() ? CurrentHeaders.Scope.MARKED : CurrentHeaders.Scope.NOT_COUNTED,
        request);
  }

  /**
   * True when {@code request} is the request whose headers are current: a nested entry point of the
   * same request need not read its headers again.
   */
  public static boolean isCurrent(Object request) {
    return request != null && CurrentHeaders.serving() == request;
  }

  /** Closes a scope returned by {@link #enterInbound}; null is ignored. */
  public static void exitInbound(CurrentHeaders.Scope scope) {
    if (scope != null) {
      scope.close();
    }
  }

  /**
   * A periodic task scheduled now: it carries the current request's headers only under {@code
   * meshaware.propagation.periodic=inherit} (see {@link PeriodicWork}).
   */
  public static Runnable periodic(Runnable task) {
    HeaderPolicy active = policy;
    return active != null && active.periodic() == PeriodicWork.INHERIT
        ? PropagatingRunnable.wrap(task)
        : task;
  }

  /**
   * The headers of the request being served on this thread, when propagation is on, whatever the
   * destination: for a client that carries them with a call and checks each request the call sends
   * with {@link #forDestination}.
   */
  public static CapturedHeaders forCall() {
    CapturedHeaders headers = CurrentHeaders.get();
    return headers != null && policy != null ? headers : null;
  }

  /**
   * The headers to add to an outbound call to {@code host}, or null: no request is being served, it
   * had no trace headers, propagation is off, or the host is excluded. The caller adds each header
   * the application has not set itself. Prefer {@link #outbound(String, int)} or {@link
   * #outbound(URI)}: a pattern with a port matches a call whose port is unknown.
   */
  public static CapturedHeaders outbound(String host) {
    return outbound(host, -1);
  }

  /**
   * The headers to add to an outbound call to {@code host} on {@code port} (-1: unknown); see
   * {@link #outbound(String)}. {@code host} is taken as the client holds it: any case, IPv6 with or
   * without brackets, a trailing dot or not.
   */
  public static CapturedHeaders outbound(String host, int port) {
    return forDestination(CurrentHeaders.get(), host, port);
  }

  /**
   * The headers to add to a record produced to {@code topic}, or null: no request or record is
   * being processed, it had no trace headers, propagation is off, or the topic is excluded ({@code
   * meshaware.propagation.exclude-topics}).
   */
  public static CapturedHeaders forTopic(String topic) {
    CapturedHeaders headers = CurrentHeaders.get();
    if (headers == null) {
      return null;
    }
    HeaderPolicy active = policy;
    return active != null && active.forwardsToTopic(topic) ? headers : null;
  }

  /** The headers to add to an outbound call to {@code uri}; see {@link #outbound(String)}. */
  public static CapturedHeaders outbound(URI uri) {
    CapturedHeaders headers = CurrentHeaders.get();
    if (headers == null) {
      return null;
    }
    HeaderPolicy active = policy;
    return active != null && active.forwardsTo(uri) ? headers : null;
  }

  /**
   * {@code carried} (the headers of the request that made a call, held by the call itself) when
   * they may go to {@code host} on {@code port}, else null. For clients that send a call's requests
   * (redirects, retries) where the request that made it is no longer current: each request sent is
   * checked against its own destination.
   */
  public static CapturedHeaders forDestination(CapturedHeaders carried, String host, int port) {
    if (carried == null) {
      return null;
    }
    HeaderPolicy active = policy;
    return active != null && active.forwardsTo(host, port) ? carried : null;
  }
}
