package dev.meshaware.spring.propagation;

import dev.meshaware.spring.diagnostics.InboundRetries;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Captures each inbound request's trace headers for the calls made while serving it (Spring MVC and
 * any other servlet code). Registered ahead of every other filter, so that the application's own
 * filters already run inside the request's scope. Its first dispatch also tells {@link
 * InboundRetries} of the request.
 */
public final class HeaderCaptureFilter extends OncePerRequestFilter {
  private final RequestHeaders requestHeaders;

  public HeaderCaptureFilter(RequestHeaders requestHeaders) {
    this.requestHeaders = requestHeaders;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (!isAsyncDispatch(request) && InboundRetries.watches(request.getMethod())) {
      InboundRetries.seen(request.getMethod(), request.getRequestURI(), request::getHeader);
    }
    try (RequestHeaders.Scope ignored = requestHeaders.enter(request::getHeader, request)) {
      chain.doFilter(request, response);
    }
  }

  /** An async dispatch (a DeferredResult completing) runs on another thread: give it the scope. */
  @Override
  protected boolean shouldNotFilterAsyncDispatch() {
    return false;
  }
}
