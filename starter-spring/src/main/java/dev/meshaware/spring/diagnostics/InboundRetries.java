package dev.meshaware.spring.diagnostics;

import dev.meshaware.core.diagnostics.RetriedRequests;
import java.util.function.UnaryOperator;

/**
 * Where the starter's inbound filters (servlet and WebFlux) tell core of each request, so that a
 * retried POST or PATCH is counted and logged ({@link RetriedRequests}). Only while the starter
 * owns diagnostics: beside the agent, the agent sees every request at the server underneath.
 */
public final class InboundRetries {
  private InboundRetries() {}

  /**
   * True when a request with {@code method} is one to show to {@link #seen}: a POST or PATCH while
   * the starter owns diagnostics. Allocates nothing.
   */
  public static boolean watches(String method) {
    return RetriedRequests.isActive()
        && RetriedRequests.watches(method)
        && MeshDiagnosticsInterceptor.ours();
  }

  /**
   * One watched inbound request with {@code method} and {@code path}; {@code header} looks a
   * request header up by name. Never throws.
   */
  public static void seen(String method, String path, UnaryOperator<String> header) {
    try {
      RetriedRequests.seen(
          method, path, header.apply(RetriedRequests.ATTEMPT_COUNT), header.apply("x-request-id"));
    } catch (RuntimeException e) {
      // a request object the filter can no longer read: nothing to report
    }
  }
}
