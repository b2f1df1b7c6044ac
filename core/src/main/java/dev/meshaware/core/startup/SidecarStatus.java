package dev.meshaware.core.startup;

import dev.meshaware.core.config.HttpEndpoint;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One look at the sidecar's readiness endpoints, as the startup gate probes them, for health checks
 * that ask "is the sidecar ready now?" long after start-up. Never throws; each probe takes at most
 * the gate's probe timeout (500 ms).
 */
public final class SidecarStatus {
  private final Map<String, String> outcomes;
  private final boolean ready;
  private final boolean reachable;

  private SidecarStatus(Map<String, String> outcomes, boolean ready, boolean reachable) {
    this.outcomes = Collections.unmodifiableMap(outcomes);
    this.ready = ready;
    this.reachable = reachable;
  }

  /** Probes every URL once, in order, each within the gate's probe timeout. */
  public static SidecarStatus check(List<HttpEndpoint> urls) {
    return check(urls, ReadinessGate.PROBE_TIMEOUT);
  }

  /** Probes every URL once, in order, each within {@code timeout}. */
  public static SidecarStatus check(List<HttpEndpoint> urls, java.time.Duration timeout) {
    Map<String, String> outcomes = new LinkedHashMap<>();
    boolean ready = !urls.isEmpty();
    boolean reachable = false;
    for (HttpEndpoint url : urls) {
      ProbeResult result = StatusProbe.probe(url, timeout);
      outcomes.put(url.toString(), result.outcome());
      ready &= result.isOk();
      reachable |= result.connected();
    }
    return new SidecarStatus(outcomes, ready, reachable);
  }

  /** True when every URL answered HTTP 200. */
  public boolean ready() {
    return ready;
  }

  /** True when something accepted a connection on at least one URL: a sidecar exists. */
  public boolean reachable() {
    return reachable;
  }

  /**
   * What each URL answered, e.g. {@code HTTP 200}, {@code HTTP 503}, {@code connection refused}.
   */
  public Map<String, String> outcomes() {
    return outcomes;
  }
}
