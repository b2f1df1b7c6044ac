package dev.meshaware.core.diagnostics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts every mesh failure (printed or not) by cause and destination host, for the agent's MBean
 * and the starter's endpoint. Hosts are bounded so that calls to ever-new names cannot grow memory:
 * past {@link #MAX_HOSTS} distinct hosts, new ones are counted under {@link #OTHER_HOSTS}, so the
 * table never holds more than {@code (MAX_HOSTS + 1)} entries per cause.
 */
public final class MeshFailureCounters {
  /** The host name counts of hosts beyond the limit are kept under. */
  public static final String OTHER_HOSTS = HostLimit.OTHER_HOSTS;

  /** Distinct destination hosts counted by name. */
  public static final int MAX_HOSTS = 512;

  private final Map<MeshCause, Map<String, LongAdder>> counts = new ConcurrentHashMap<>();
  private final HostLimit hosts = new HostLimit(MAX_HOSTS);

  /** Counts one failure of {@code cause} on a call to {@code host}. */
  void increment(MeshCause cause, String host) {
    String counted = hosts.admit(host);
    counts
        .computeIfAbsent(cause, c -> new ConcurrentHashMap<>())
        .computeIfAbsent(counted, h -> new LongAdder())
        .increment();
  }

  /** Every non-zero count, by cause (in {@link MeshCause} order) then host name. */
  public List<FailureCount> snapshot() {
    List<FailureCount> all = new ArrayList<>();
    for (Map.Entry<MeshCause, Map<String, LongAdder>> byCause : counts.entrySet()) {
      for (Map.Entry<String, LongAdder> byHost : byCause.getValue().entrySet()) {
        all.add(new FailureCount(byCause.getKey(), byHost.getKey(), byHost.getValue().sum()));
      }
    }
    all.sort(Comparator.comparing(FailureCount::cause).thenComparing(FailureCount::host));
    return Collections.unmodifiableList(all);
  }

  /** The sum of every count. */
  public long total() {
    long total = 0;
    for (Map<String, LongAdder> byHost : counts.values()) {
      for (LongAdder count : byHost.values()) {
        total += count.sum();
      }
    }
    return total;
  }
}
