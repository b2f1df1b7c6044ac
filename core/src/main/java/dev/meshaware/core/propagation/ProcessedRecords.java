package dev.meshaware.core.propagation;

/**
 * The record a thread is processing, for consumers that hand records out one at a time without a
 * call that brackets their processing (Kafka's {@code ConsumerRecords} iterator): processing of a
 * record begins when the iterator hands it out and ends when it hands out the next, when it has no
 * more, or when the consumer polls again or closes. While it lasts, the record's trace headers are
 * current on that thread, so calls made and records produced while processing carry them.
 *
 * <p>The scope of a record may be overtaken: the code around the loop (an executor's task, a
 * request) may restore the thread while a record's scope is open, by leaving the loop early. Such a
 * scope is then dropped, never closed: closing it would put back what was current when the record
 * began, which belongs to work that has ended. A scope is closed only while it is the innermost one
 * on its thread, which the record object standing as the thread's served request shows.
 */
public final class ProcessedRecords {
  private static final ThreadLocal<Open> OPEN = new ThreadLocal<>();

  private ProcessedRecords() {}

  /**
   * This thread starts reading records ahead of their processing (a parallel stream's {@code
   * trySplit} fills an array from the iterator): until {@link #aheadEnd()}, records handed out make
   * nothing current, since none of them is being processed yet.
   */
  public static void aheadBegin() {
    opened().ahead++;
  }

  /** The read-ahead started by {@link #aheadBegin()} is over; nothing read stays current. */
  public static void aheadEnd() {
    Open open = OPEN.get();
    if (open != null && open.ahead > 0) {
      open.ahead--;
      closeIfInnermost(open);
    }
  }

  /** True while this thread reads records ahead of their processing. */
  public static boolean readingAhead() {
    Open open = OPEN.get();
    return open != null && open.ahead > 0;
  }

  /**
   * Processing of {@code record} (its trace headers {@code headers}, null: none, which hides what
   * the thread had) begins on this thread, and that of the record before it ends.
   */
  public static void begin(CapturedHeaders headers, Object record) {
    Open open = opened();
    closeIfInnermost(open);
    open.scope = CurrentHeaders.open(headers, CurrentHeaders.Scope.NOT_COUNTED, record);
    open.record = record;
  }

  /**
   * The application reads {@code record} (its value or key) on this thread. When another record is
   * the one handed out last, the application is not processing records one at a time as they are
   * handed out (it read ahead: a chunk, a partition of the batch, a record kept from an earlier
   * step): which record its calls belong to is in doubt, so nothing stays current.
   */
  public static void touched(Object record) {
    Open open = OPEN.get();
    if (open != null && open.record != null && open.record != record) {
      closeIfInnermost(open);
    }
  }

  /** Processing of this thread's record, if any, ends: nothing of it remains current. */
  public static void end() {
    Open open = OPEN.get();
    if (open != null) {
      closeIfInnermost(open);
    }
  }

  /**
   * Opens the scope of a record whose processing is bracketed by one call (a stream processor, a
   * listener interceptor's before and after): close it when the call returns.
   */
  public static CurrentHeaders.Scope open(CapturedHeaders headers, Object record) {
    return CurrentHeaders.open(headers, CurrentHeaders.Scope.NOT_COUNTED, record);
  }

  /** This thread's holder, made at its first use. */
  private static Open opened() {
    Open open = OPEN.get();
    if (open == null) {
      open = new Open();
      OPEN.set(open);
    }
    return open;
  }

  private static void closeIfInnermost(Open open) {
    Object record = open.record;
    CurrentHeaders.Scope scope = open.scope;
    open.record = null;
    open.scope = null;
    if (record != null && CurrentHeaders.serving() == record) {
      scope.close();
    }
  }

  /** One per thread, reused: the record being processed and the scope it opened. */
  private static final class Open {
    Object record;
    CurrentHeaders.Scope scope;
    int ahead;
  }
}
