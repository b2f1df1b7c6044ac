package dev.meshaware.core.diagnostics;

import dev.meshaware.core.log.MeshLog;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Inbound {@code POST} and {@code PATCH} requests that Envoy sent as a retry: Envoy numbers each
 * attempt in {@code x-envoy-attempt-count} (Istio turns the header on for its virtual hosts), and
 * an attempt above 1 of a request that is not idempotent may repeat one the application already
 * processed. Each is counted; one {@code WARNING} line per method and path per repeat interval says
 * what to check. Installed with the diagnostics ({@link MeshDiagnostics#install}).
 *
 * <p>Edges call {@link #isActive} (one volatile read) and {@link #watches} with the method for
 * every request, and only for a watched one read the headers and call {@link #seen}. The header is
 * the caller's text: anything but a small positive whole number is ignored, and nothing here
 * throws.
 */
public final class RetriedRequests {
  /** The header Envoy's router numbers attempts in. */
  public static final String ATTEMPT_COUNT = "x-envoy-attempt-count";

  /** The longest path and request id a line quotes. */
  static final int MAX_QUOTED = 200;

  private static final List<Listener> LISTENERS = new CopyOnWriteArrayList<>();
  private static final LongAdder POSTS = new LongAdder();
  private static final LongAdder PATCHES = new LongAdder();
  private static volatile RepeatLimiter limiter;

  private RetriedRequests() {}

  /** Told of every retried request counted (e.g. to count it in Micrometer). */
  public interface Listener {
    /** A retried request with {@code method} ({@code POST} or {@code PATCH}) arrived. */
    void onRetriedRequest(String method);
  }

  static void install(Duration repeatInterval, LongSupplier clock) {
    limiter = new RepeatLimiter(repeatInterval, clock);
  }

  static void uninstall() {
    limiter = null;
    POSTS.reset();
    PATCHES.reset();
  }

  /** True when the check is on: one volatile read, for edges to call before anything else. */
  public static boolean isActive() {
    return limiter != null;
  }

  /** True when a request with {@code method} is one to look at: the check is on, POST or PATCH. */
  public static boolean watches(String method) {
    return limiter != null && (isPost(method) || isPatch(method));
  }

  /**
   * An inbound request arrived with {@code method}, {@code path} (a query is cut off), the raw
   * {@code x-envoy-attempt-count} value and {@code x-request-id} (either may be null).
   */
  public static void seen(String method, String path, String attemptCount, String requestId) {
    RepeatLimiter active = limiter;
    if (active == null || !watches(method)) {
      return;
    }
    int attempt = attempt(attemptCount);
    if (attempt < 2) {
      return;
    }
    try {
      String upper = method.toUpperCase(Locale.ROOT);
      (isPost(upper) ? POSTS : PATCHES).increment();
      for (Listener listener : LISTENERS) {
        try {
          listener.onRetriedRequest(upper);
        } catch (RuntimeException e) {
          MeshLog.debug("a retried-request listener failed: " + e);
        }
      }
      String shownPath = quoted(withoutQuery(path));
      RepeatLimiter.Released released = active.acquire(upper + ' ' + shownPath);
      if (released != null) {
        MeshLog.warn(line(upper, shownPath, attempt, quoted(requestId), released));
      }
    } catch (RuntimeException e) {
      MeshLog.debug("cannot report a retried request: " + e);
    }
  }

  /** Retried requests counted so far with {@code method} ({@code POST} or {@code PATCH}). */
  public static long count(String method) {
    return isPost(method) ? POSTS.sum() : isPatch(method) ? PATCHES.sum() : 0;
  }

  /** Tells {@code listener} of every retried request from now on. */
  public static void addListener(Listener listener) {
    if (listener != null) {
      LISTENERS.add(listener);
    }
  }

  /** Stops telling {@code listener}. */
  public static void removeListener(Listener listener) {
    LISTENERS.remove(listener);
  }

  /** The attempt number in {@code value}, or 0 when it is absent or not a small whole number. */
  static int attempt(String value) {
    if (value == null) {
      return 0;
    }
    String text = value.trim();
    if (text.isEmpty() || text.length() > 6) {
      return 0;
    }
    int number = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return 0;
      }
      number = number * 10 + (c - '0');
    }
    return number;
  }

  private static String line(
      String method, String path, int attempt, String requestId, RepeatLimiter.Released released) {
    return "retried "
        + method
        + " "
        + path
        + ": attempt "
        + attempt
        + " (x-envoy-attempt-count), x-request-id "
        + (requestId.isEmpty() ? "(none)" : requestId)
        + ": the sidecar retried a request that is not idempotent, so it may repeat one this"
        + " application already processed. Check the route's VirtualService retries.retryOn"
        + " (Istio's default retries a 503 twice) and make the handler idempotent, e.g. with an"
        + " idempotency key"
        + (released.suppressed() > 0
            ? " (" + released.suppressed() + " more for this path not logged)"
            : "");
  }

  private static String withoutQuery(String path) {
    if (path == null) {
      return "";
    }
    int query = path.indexOf('?');
    return query < 0 ? path : path.substring(0, query);
  }

  /** The caller's text, fit for one log line ({@link Printable}). */
  static String quoted(String text) {
    return Printable.of(text, MAX_QUOTED);
  }

  private static boolean isPost(String method) {
    return "POST".equalsIgnoreCase(method);
  }

  private static boolean isPatch(String method) {
    return "PATCH".equalsIgnoreCase(method);
  }
}
