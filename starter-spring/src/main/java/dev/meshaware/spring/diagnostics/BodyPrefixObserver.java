package dev.meshaware.spring.diagnostics;

import dev.meshaware.core.diagnostics.MeshDiagnostics;
import dev.meshaware.core.diagnostics.OutboundExchange;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sees the first bytes of a body as they pass on their way to the application, and records the
 * exchange once: as soon as it has seen as much as the classifier wants, or when the body ends,
 * fails or is closed before that (then without the body: "not read"). It never reads anything
 * itself, so the application gets the same bytes at the same moment as without meshaware, and a
 * body the application never reads is never read. Fed by one reader at a time.
 */
final class BodyPrefixObserver {
  private final OutboundExchange exchange;
  private final byte[] prefix;
  private int seen;
  private final AtomicBoolean recorded = new AtomicBoolean();

  BodyPrefixObserver(OutboundExchange exchange) {
    this.exchange = exchange;
    this.prefix = new byte[exchange.bodyPeekBytes()];
  }

  /** How many bytes of the body it has seen so far, from the start without a gap. */
  long seen() {
    return seen;
  }

  /** False once the exchange is recorded: nothing more to see. */
  boolean wantsMore() {
    return !recorded.get();
  }

  /** The application got {@code length} more bytes of the body, continuing where the last ended. */
  void passed(byte[] bytes, int offset, int length) {
    if (recorded.get()) {
      return;
    }
    int take = Math.min(length, prefix.length - seen);
    System.arraycopy(bytes, offset, prefix, seen, take);
    seen += take;
    if (seen == prefix.length) {
      record(true);
    }
  }

  /** The application got one more byte of the body. */
  void passed(int b) {
    if (recorded.get()) {
      return;
    }
    prefix[seen++] = (byte) b;
    if (seen == prefix.length) {
      record(true);
    }
  }

  /**
   * The body ended, failed, was closed or cancelled, or the application skipped part of it: record
   * now with what was seen, which is the body only if it was seen whole.
   */
  void ended() {
    record(seen == prefix.length);
  }

  private void record(boolean withBody) {
    if (!recorded.compareAndSet(false, true)) {
      return;
    }
    try {
      if (withBody) {
        exchange.bodyBytes(prefix, seen);
      }
      MeshDiagnostics.record(exchange);
    } catch (RuntimeException e) {
      // The classifier is never worth a failed call.
    }
  }
}
