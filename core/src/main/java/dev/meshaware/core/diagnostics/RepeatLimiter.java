package dev.meshaware.core.diagnostics;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Lets one line per key through per interval and counts the rest, so that a destination failing a
 * thousand times a second costs the log one line a minute, and the next line says how many were
 * held back. The number of keys is bounded: past {@link #MAX_KEYS}, keys whose interval ended are
 * dropped, and if that is not enough, new keys share one overflow window.
 */
final class RepeatLimiter {
  static final int MAX_KEYS = 1024;
  private static final String OVERFLOW_KEY = "\u0000overflow";

  private final long intervalNanos;
  private final LongSupplier nanoClock;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  RepeatLimiter(Duration interval, LongSupplier nanoClock) {
    this.intervalNanos = interval.toNanos();
    this.nanoClock = nanoClock;
  }

  /**
   * Decides for one more event of {@code key}: null when its line must not be printed, else what
   * the line should say about the events held back since the key's previous line.
   */
  Released acquire(String key) {
    long now = nanoClock.getAsLong();
    Window window = windows.get(key);
    if (window == null) {
      if (windows.size() >= MAX_KEYS) {
        pruneIdle(now);
      }
      window =
          windows.size() >= MAX_KEYS
              ? windows.computeIfAbsent(OVERFLOW_KEY, k -> new Window())
              : windows.computeIfAbsent(key, k -> new Window());
    }
    return window.acquire(now, intervalNanos);
  }

  /** How many keys are held now (tests): at most {@link #MAX_KEYS} and the overflow window. */
  int size() {
    return windows.size();
  }

  private void pruneIdle(long now) {
    for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
      if (it.next().idleSince(now, intervalNanos)) {
        it.remove();
      }
    }
  }

  /** A line that may be printed, and how many of its kind were held back before it. */
  static final class Released {
    private final long suppressed;
    private final long sinceNanos;

    Released(long suppressed, long sinceNanos) {
      this.suppressed = suppressed;
      this.sinceNanos = sinceNanos;
    }

    /** Events of this key not printed since its previous line. */
    long suppressed() {
      return suppressed;
    }

    /** Time since the key's previous printed line; 0 for its first. */
    long sinceNanos() {
      return sinceNanos;
    }
  }

  /** The state of one key. Synchronised: this runs only for failures, never on the hot path. */
  private static final class Window {
    private boolean printed;
    private long lastPrinted;
    private long suppressed;

    synchronized Released acquire(long now, long interval) {
      if (printed && now - lastPrinted < interval) {
        suppressed++;
        return null;
      }
      Released released = new Released(suppressed, printed ? now - lastPrinted : 0);
      printed = true;
      lastPrinted = now;
      suppressed = 0;
      return released;
    }

    /** True when the key's interval ended: a new line would be printed anyway. */
    synchronized boolean idleSince(long now, long interval) {
      return now - lastPrinted >= interval;
    }
  }
}
