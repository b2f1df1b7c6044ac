package dev.meshaware.core.propagation;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.net.URI;

/**
 * The request each outbound call belongs to, for clients that send a call's requests (the first
 * one, then redirects and retries) from threads of their own, where the request that made the call
 * is not current and whatever the thread holds belongs to someone else. The edge records the call
 * object when the call is made, on the application's thread; each request the call sends then asks
 * with the same object and its own destination.
 *
 * <p>The table holds call objects weakly and by identity (it never calls their {@code equals} or
 * {@code hashCode}), so an entry lives exactly as long as the client keeps its call, and the table
 * can never hold more entries than there are calls in flight. Only calls made while serving a
 * request with headers are recorded: a call not found carries nothing.
 */
public final class OutboundCalls {
  /** Beyond this many calls in flight new calls are not recorded and carry nothing. */
  static final int MAX_ENTRIES = 1 << 20;

  private static final ReferenceQueue<Object> collected = new ReferenceQueue<>();
  private static Entry[] table = new Entry[64];
  private static int size;

  private OutboundCalls() {}

  /** Records that {@code call} belongs to the request being served on this thread, if any. */
  public static void begin(Object call) {
    CapturedHeaders headers = CurrentHeaders.get();
    if (headers == null || call == null || Propagation.policy() == null) {
      return;
    }
    synchronized (OutboundCalls.class) {
      expunge();
      if (size >= MAX_ENTRIES) {
        return;
      }
      if (size >= table.length * 3 / 4) {
        resize();
      }
      int hash = System.identityHashCode(call);
      int index = hash & (table.length - 1);
      for (Entry e = table[index]; e != null; e = e.next) {
        if (e.get() == call) {
          e.headers = headers;
          return;
        }
      }
      table[index] = new Entry(call, hash, headers, table[index]);
      size++;
    }
  }

  /** The headers of the request {@code call} belongs to, or null. */
  public static CapturedHeaders headers(Object call) {
    if (call == null) {
      return null;
    }
    int hash = System.identityHashCode(call);
    synchronized (OutboundCalls.class) {
      for (Entry e = table[hash & (table.length - 1)]; e != null; e = e.next) {
        if (e.get() == call) {
          return e.headers;
        }
      }
    }
    return null;
  }

  /**
   * The headers to add to a request that {@code call} sends to {@code uri}, or null: the call
   * belongs to no request with headers, or {@code uri} is excluded.
   */
  public static CapturedHeaders forDestination(Object call, URI uri) {
    CapturedHeaders headers = headers(call);
    HeaderPolicy active = Propagation.policy();
    return headers != null && active != null && active.forwardsTo(uri) ? headers : null;
  }

  /** How many calls are recorded (for tests). */
  static synchronized int size() {
    expunge();
    return size;
  }

  private static void expunge() {
    for (Object gone; (gone = collected.poll()) != null; ) {
      Entry entry = (Entry) gone;
      int index = entry.hash & (table.length - 1);
      Entry previous = null;
      for (Entry e = table[index]; e != null; previous = e, e = e.next) {
        if (e == entry) {
          if (previous == null) {
            table[index] = e.next;
          } else {
            previous.next = e.next;
          }
          size--;
          break;
        }
      }
    }
  }

  private static void resize() {
    Entry[] old = table;
    Entry[] grown = new Entry[old.length * 2];
    for (Entry head : old) {
      for (Entry e = head; e != null; ) {
        Entry next = e.next;
        int index = e.hash & (grown.length - 1);
        e.next = grown[index];
        grown[index] = e;
        e = next;
      }
    }
    table = grown;
  }

  private static final class Entry extends WeakReference<Object> {
    final int hash;
    CapturedHeaders headers;
    Entry next;

    Entry(Object call, int hash, CapturedHeaders headers, Entry next) {
      super(call, collected);
      this.hash = hash;
      this.headers = headers;
      this.next = next;
    }
  }
}
