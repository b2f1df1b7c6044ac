package dev.meshaware.core.diagnostics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a table keyed by destination host bounded: the first {@code limit} distinct hosts keep
 * their own name, every later one is reported as {@link #OTHER_HOSTS}. Calls to ever-new host names
 * (a name per tenant, per pod, per test) would otherwise grow counters and meters without end. The
 * hosts admitted stay admitted: a counter never moves from one name to another.
 */
public final class HostLimit {
  /** The name every host past the limit is counted under; no DNS name can look like it. */
  public static final String OTHER_HOSTS = "(other hosts)";

  private final int limit;
  private final Set<String> admitted = ConcurrentHashMap.newKeySet();

  /** At most {@code limit} distinct host names (at least 1). */
  public HostLimit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("a host limit must be at least 1, not " + limit);
    }
    this.limit = limit;
  }

  /** {@code host} itself while it is (or can still be) one of the admitted, else OTHER_HOSTS. */
  public String admit(String host) {
    if (admitted.contains(host)) {
      return host;
    }
    if (admitted.size() >= limit) {
      return OTHER_HOSTS;
    }
    // Only a host seen for the first time gets here: exact under concurrency, never on the hot
    // path.
    synchronized (this) {
      if (admitted.size() >= limit) {
        return OTHER_HOSTS;
      }
      admitted.add(host);
      return host;
    }
  }

  /** How many host names are admitted so far; never more than the limit. */
  public int size() {
    return admitted.size();
  }

  /** The most host names this admits. */
  public int limit() {
    return limit;
  }
}
