package dev.meshaware.core.propagation;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who owns each piece of pending work: the application's own task object (its {@code Runnable},
 * {@code Callable}, {@code FutureTask}, a {@code CompletableFuture} stage) mapped to the request
 * that defined it. Ownership is attached beside the object instead of wrapping it, so every
 * executor, queue and future API keeps handing the application its own objects (identity, type,
 * {@code Comparable}, {@code equals}).
 *
 * <p>Keys are compared by identity, never by the application's {@code equals}/{@code hashCode}, and
 * held weakly: an entry goes away with its task, and no value refers to a task or a class loader,
 * so nothing here keeps application classes alive.
 *
 * <p>A task registered twice by different owners before it runs is either passing through a further
 * executor or the same object submitted twice concurrently (a stateless lambda is one object per
 * call site). The two cannot be told apart, so the entry becomes {@link #AMBIGUOUS} and the work
 * runs with no headers: missing headers are a gap, another request's headers would be a wrong
 * route. Work <em>defined</em> by construction (a {@code CompletableFuture} stage) is never
 * ambiguous: its registrar owns it, whoever later hands it to an executor.
 */
final class WorkOwners {
  /** The owner is "no request": the work must run with no headers. */
  static final Object NONE = new Marker("none");

  /** Two owners claimed the same pending object: it runs with no headers. */
  static final Object AMBIGUOUS = new Marker("ambiguous");

  private static final ConcurrentHashMap<Object, Object> OWNERS = new ConcurrentHashMap<>();
  private static final ReferenceQueue<Object> COLLECTED = new ReferenceQueue<>();

  private WorkOwners() {}

  /** The value recorded for {@code headers} (null means no request). */
  static Object ownerOf(CapturedHeaders headers) {
    return headers == null ? NONE : headers;
  }

  /**
   * Records that {@code owner} submitted {@code task}; the first submission wins, a different
   * second claim makes the task {@link #AMBIGUOUS}.
   */
  static void submitted(Object task, Object owner) {
    expunge();
    OWNERS.compute(new Key(task, COLLECTED), (key, old) -> merge(old, owner));
  }

  private static Object merge(Object old, Object owner) {
    if (old == null || old == owner) {
      return owner;
    }
    if (old instanceof Defined || old instanceof Periodic) {
      return old;
    }
    return AMBIGUOUS;
  }

  /** Records that {@code owner} defined {@code work}; nothing later changes it. */
  static void defined(Object work, Object owner) {
    expunge();
    OWNERS.put(new Key(work, COLLECTED), new Defined(owner));
  }

  /** Records the owner of a periodic task, kept for every run. */
  static void periodic(Object task, Object owner) {
    expunge();
    OWNERS.put(new Key(task, COLLECTED), new Periodic(owner));
  }

  /**
   * The owner of {@code work} about to run once, or null when it was never registered. A one-shot
   * submission is consumed, so that the same object submitted again later is judged afresh;
   * definitions and periodic registrations stay.
   */
  static Object take(Object work) {
    if (OWNERS.isEmpty()) {
      return null;
    }
    Lookup lookup = new Lookup(work);
    Object value = OWNERS.get(lookup);
    if (value == null) {
      return null;
    }
    if (value instanceof Defined) {
      return ((Defined) value).owner;
    }
    if (value instanceof Periodic) {
      return ((Periodic) value).owner;
    }
    OWNERS.remove(lookup, value);
    return value;
  }

  /** The owner of {@code work} without consuming a one-shot submission, or null. */
  static Object peek(Object work) {
    if (OWNERS.isEmpty()) {
      return null;
    }
    Object value = OWNERS.get(new Lookup(work));
    if (value instanceof Defined) {
      return ((Defined) value).owner;
    }
    if (value instanceof Periodic) {
      return ((Periodic) value).owner;
    }
    return value;
  }

  /** Forgets {@code work} (it was rejected, so it will never run from this submission). */
  static void forget(Object work) {
    if (!OWNERS.isEmpty()) {
      OWNERS.remove(new Lookup(work));
    }
  }

  /** The headers an owner value stands for (null for none and ambiguous). */
  static CapturedHeaders headersOf(Object owner) {
    return owner instanceof CapturedHeaders ? (CapturedHeaders) owner : null;
  }

  /** How many objects have a recorded owner (tests and the debug log). */
  static int size() {
    expunge();
    return OWNERS.size();
  }

  private static void expunge() {
    Object collected;
    while ((collected = COLLECTED.poll()) != null) {
      OWNERS.remove(collected);
    }
  }

  /** A weak, identity-compared key. */
  private static final class Key extends WeakReference<Object> {
    private final int hash;

    Key(Object referent, ReferenceQueue<Object> queue) {
      super(referent, queue);
      hash = System.identityHashCode(referent);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      if (other == this) {
        return true;
      }
      Object mine = get();
      if (mine == null) {
        return false;
      }
      if (other instanceof Key) {
        return ((Key) other).get() == mine;
      }
      return other instanceof Lookup && ((Lookup) other).referent == mine;
    }
  }

  /** A short-lived key for lookups, so that a lookup allocates no weak reference. */
  private static final class Lookup {
    private final Object referent;
    private final int hash;

    Lookup(Object referent) {
      this.referent = referent;
      hash = System.identityHashCode(referent);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key && ((Key) other).get() == referent;
    }
  }

  /** Ownership fixed when the work was constructed. */
  private static final class Defined {
    final Object owner;

    Defined(Object owner) {
      this.owner = owner;
    }
  }

  /** Ownership of a task that runs many times. */
  private static final class Periodic {
    final Object owner;

    Periodic(Object owner) {
      this.owner = owner;
    }
  }

  private static final class Marker {
    private final String name;

    Marker(String name) {
      this.name = name;
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
