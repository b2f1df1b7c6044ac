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
   * Records that {@code owner} submitted {@code task}. Each submission is counted, so that every
   * run consumes one; a pending object claimed by two different owners is {@link #AMBIGUOUS} until
   * all its pending runs are done. A submission that only passes a pending task on ({@code passOn}:
   * an executor handing what it was given to another executor) keeps the first owner.
   */
  static void submitted(Object task, Object owner, boolean passedOn) {
    expunge();
    OWNERS.compute(
        new Key(task, COLLECTED),
        (key, old) -> {
          if (old == null) {
            return new Pending(owner);
          }
          if (!(old instanceof Pending)) {
            return old; // defined or periodic: fixed
          }
          Pending pending = (Pending) old;
          if (!passedOn) {
            pending.count++;
            if (pending.owner != owner) {
              pending.owner = AMBIGUOUS;
            }
          }
          return pending;
        });
  }

  /** One pending submission of {@code task} will never run (its executor refused or dropped it). */
  static void release(Object task) {
    if (!OWNERS.isEmpty()) {
      OWNERS.computeIfPresent(new Lookup(task), (key, old) -> consumed(old));
    }
  }

  private static Object consumed(Object value) {
    if (value instanceof Pending) {
      Pending pending = (Pending) value;
      return --pending.count > 0 ? pending : null;
    }
    return value;
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
    Object[] owner = new Object[1];
    OWNERS.computeIfPresent(
        new Lookup(work),
        (key, value) -> {
          owner[0] = ownerIn(value);
          return consumed(value);
        });
    return owner[0];
  }

  private static Object ownerIn(Object value) {
    if (value instanceof Defined) {
      return ((Defined) value).owner;
    }
    if (value instanceof Periodic) {
      return ((Periodic) value).owner;
    }
    return value instanceof Pending ? ((Pending) value).owner : null;
  }

  /** The owner of {@code work} without consuming a one-shot submission, or null. */
  static Object peek(Object work) {
    if (OWNERS.isEmpty()) {
      return null;
    }
    Object value = OWNERS.get(new Lookup(work));
    return value == null ? null : ownerIn(value);
  }

  /** The headers an owner value stands for (null for none and ambiguous). */
  static CapturedHeaders headersOf(Object owner) {
    return owner instanceof CapturedHeaders ? (CapturedHeaders) owner : null;
  }

  /**
   * Listener registrations, per future: which request added each listener to that future. Keyed by
   * the future (weakly, by identity), so that a registration is consumed only by its own future's
   * notification and goes away with that future; the same listener object on two futures (a
   * stateless lambda) is two registrations. Listeners are held weakly too: a listener that refers
   * to its future must not keep the future's entry alive.
   */
  private static final ConcurrentHashMap<Object, Listeners> LISTENERS = new ConcurrentHashMap<>();

  private static final ReferenceQueue<Object> COLLECTED_FUTURES = new ReferenceQueue<>();

  /** {@code owner} added {@code listener} to {@code future}. */
  static void listenerAdded(Object future, Object listener, Object owner) {
    expungeFutures();
    LISTENERS.compute(
        new Key(future, COLLECTED_FUTURES),
        (key, old) -> {
          Listeners listeners = old == null ? new Listeners() : old;
          listeners.add(listener, owner);
          return listeners;
        });
  }

  /**
   * The owner of {@code listener}'s registration on {@code future}, consumed; null when the future
   * has no registration of it (a future completed already notifies without one, on the adding
   * thread).
   */
  static Object listenerCalled(Object future, Object listener) {
    if (LISTENERS.isEmpty()) {
      return null;
    }
    Object[] owner = new Object[1];
    LISTENERS.computeIfPresent(
        new Lookup(future),
        (key, listeners) -> {
          owner[0] = listeners.take(listener);
          return listeners.isEmpty() ? null : listeners;
        });
    return owner[0];
  }

  /**
   * Every registration on {@code future}, consumed, for its listeners called together: their common
   * owner, {@link #NONE} when they differ, null when there is none.
   */
  static Object listenersCalled(Object future) {
    if (LISTENERS.isEmpty()) {
      return null;
    }
    Listeners listeners = LISTENERS.remove(new Lookup(future));
    return listeners == null ? null : listeners.commonOwner();
  }

  /** {@code listener} was taken back from {@code future}: its registration there is dropped. */
  static void listenerRemoved(Object future, Object listener) {
    if (!LISTENERS.isEmpty()) {
      LISTENERS.computeIfPresent(
          new Lookup(future),
          (key, listeners) -> {
            listeners.take(listener);
            return listeners.isEmpty() ? null : listeners;
          });
    }
  }

  /** How many futures have listener registrations (tests). */
  static int futuresWithListeners() {
    expungeFutures();
    return LISTENERS.size();
  }

  private static void expungeFutures() {
    Object collected;
    while ((collected = COLLECTED_FUTURES.poll()) != null) {
      LISTENERS.remove(collected);
    }
  }

  /** One future's listener registrations: (listener, owner) pairs, listeners held weakly. */
  private static final class Listeners {
    private WeakReference<?>[] listeners = new WeakReference<?>[2];
    private Object[] owners = new Object[2];
    private int size;

    void add(Object listener, Object owner) {
      if (size == listeners.length) {
        listeners = java.util.Arrays.copyOf(listeners, size * 2);
        owners = java.util.Arrays.copyOf(owners, size * 2);
      }
      listeners[size] = new WeakReference<>(listener);
      owners[size++] = owner;
    }

    /** Removes the first registration of {@code listener}; its owner, or null. */
    Object take(Object listener) {
      for (int i = 0; i < size; i++) {
        if (listeners[i].get() == listener) {
          Object owner = owners[i];
          System.arraycopy(listeners, i + 1, listeners, i, size - i - 1);
          System.arraycopy(owners, i + 1, owners, i, size - i - 1);
          size--;
          listeners[size] = null;
          owners[size] = null;
          return owner;
        }
      }
      return null;
    }

    boolean isEmpty() {
      return size == 0;
    }

    Object commonOwner() {
      Object common = size == 0 ? null : owners[0];
      for (int i = 1; i < size; i++) {
        if (owners[i] != common) {
          return NONE;
        }
      }
      return common;
    }
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

  /** Submissions of an object not yet run, and whose they are. Changed only inside the map. */
  private static final class Pending {
    Object owner;
    int count = 1;

    Pending(Object owner) {
      this.owner = owner;
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
