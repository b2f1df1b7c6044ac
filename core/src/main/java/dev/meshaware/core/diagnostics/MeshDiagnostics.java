package dev.meshaware.core.diagnostics;

import dev.meshaware.core.config.MeshawareKeys;
import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.log.MeshLog;
import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.CurrentHeaders;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * The process-wide entry points for explaining mesh failures of outbound calls, for agent advice
 * and the starter's client interceptors alike:
 *
 * <pre>{@code
 * OutboundExchange exchange = MeshDiagnostics.response("my-client", status); // null for 2xx
 * if (exchange != null) {
 *   exchange.request(method, url, requestIdHeader);
 *   for (String name : OutboundExchange.RESPONSE_HEADERS) exchange.header(name, firstValue(name));
 *   MeshDiagnostics.record(exchange);
 * }
 * }</pre>
 *
 * A mesh failure is counted, passed to every {@link MeshFailureListener}, and logged as one {@code
 * [meshaware] WARNING} line per destination host and cause per repeat interval. Nothing here throws
 * or blocks, and a status that cannot come from a sidecar costs one volatile read.
 */
public final class MeshDiagnostics {
  private static final MeshFailureCounters NONE = new MeshFailureCounters();
  private static final List<MeshFailureListener> LISTENERS = new CopyOnWriteArrayList<>();
  private static volatile Recorder recorder;

  private MeshDiagnostics() {}

  /**
   * Turns diagnostics on as {@code settings} say ({@code meshaware.diagnostics.*}) on behalf of
   * {@code owner} ({@code agent} or {@code starter}); returns whether they are on. Once per
   * process: the first owner wins and a second call changes nothing, so the starter beside the
   * agent keeps the agent's counters.
   */
  public static boolean install(String owner, MeshawareSettings settings) {
    if (!settings.get(MeshawareKeys.DIAGNOSTICS_ENABLED)) {
      return false;
    }
    return install(
        owner, settings.get(MeshawareKeys.DIAGNOSTICS_REPEAT_INTERVAL), System::nanoTime);
  }

  static synchronized boolean install(String owner, Duration repeatInterval, LongSupplier clock) {
    if (recorder == null) {
      recorder = new Recorder(owner, repeatInterval, clock);
      RetriedRequests.install(repeatInterval, clock);
    }
    return true;
  }

  /** Turns diagnostics off and forgets the counters (tests; an application never needs it). */
  public static synchronized void uninstall() {
    recorder = null;
    RetriedRequests.uninstall();
  }

  /** True when diagnostics are on. */
  public static boolean isActive() {
    return recorder != null;
  }

  /** Who turned diagnostics on ({@code agent}, {@code starter}), or null when they are off. */
  public static String installedBy() {
    Recorder active = recorder;
    return active == null ? null : active.owner;
  }

  /** At most one line per destination host and cause within this interval; null when off. */
  public static Duration repeatInterval() {
    Recorder active = recorder;
    return active == null ? null : active.interval;
  }

  /**
   * A record for a response with {@code status}, or null when diagnostics are off or the status
   * cannot come from a sidecar: then the caller does nothing more, and allocates nothing.
   */
  public static OutboundExchange response(String client, int status) {
    if (recorder == null || !MeshFailureClassifier.mayComeFromSidecar(status)) {
      return null;
    }
    return new OutboundExchange(client, status, null);
  }

  /**
   * A record for a call that ended with {@code failure} before any response arrived, or null when
   * diagnostics are off.
   */
  public static OutboundExchange failure(String client, Throwable failure) {
    if (recorder == null || failure == null) {
      return null;
    }
    return new OutboundExchange(client, OutboundExchange.NO_STATUS, failure);
  }

  /**
   * Classifies {@code exchange}; a mesh failure is counted, passed to the listeners and logged
   * (rate-limited). A request without its own {@code x-request-id} is logged with the one of the
   * inbound request being served on this thread, if any. Returns the diagnosis; never throws.
   */
  public static Diagnosis record(OutboundExchange exchange) {
    Recorder active = recorder;
    if (active == null || exchange == null) {
      return Diagnosis.NOT_FROM_MESH;
    }
    try {
      Diagnosis diagnosis = MeshFailureClassifier.classify(exchange);
      if (diagnosis.isMeshFailure()) {
        active.record(diagnosis, exchange);
      }
      return diagnosis;
    } catch (RuntimeException e) {
      MeshLog.debug("cannot classify an outbound call's failure: " + e);
      return Diagnosis.NOT_FROM_MESH;
    }
  }

  /** The counts so far (empty when diagnostics are off). */
  public static MeshFailureCounters counters() {
    Recorder active = recorder;
    return active == null ? NONE : active.counters;
  }

  /** How many keys the repeat limit holds now (tests: it must stay bounded); 0 when off. */
  static int repeatLimitKeys() {
    Recorder active = recorder;
    return active == null ? 0 : active.limiter.size();
  }

  /** Tells {@code listener} of every mesh failure from now on (e.g. to count it in Micrometer). */
  public static void addListener(MeshFailureListener listener) {
    if (listener != null) {
      LISTENERS.add(listener);
    }
  }

  /** Stops telling {@code listener}. */
  public static void removeListener(MeshFailureListener listener) {
    LISTENERS.remove(listener);
  }

  /** The state of diagnostics while on. */
  private static final class Recorder {
    private final String owner;
    private final Duration interval;
    private final RepeatLimiter limiter;
    private final MeshFailureCounters counters = new MeshFailureCounters();

    Recorder(String owner, Duration interval, LongSupplier clock) {
      this.owner = owner;
      this.interval = interval;
      this.limiter = new RepeatLimiter(interval, clock);
    }

    void record(Diagnosis diagnosis, OutboundExchange exchange) {
      if (exchange.requestId() == null) {
        CapturedHeaders current = CurrentHeaders.get();
        if (current != null) {
          exchange.requestIdIfAbsent(current.get("x-request-id"));
        }
      }
      MeshFailure failure = new MeshFailure(diagnosis, exchange);
      counters.increment(failure.cause(), failure.host());
      for (MeshFailureListener listener : LISTENERS) {
        try {
          listener.onMeshFailure(failure);
        } catch (RuntimeException e) {
          MeshLog.debug("a mesh failure listener failed: " + e);
        }
      }
      RepeatLimiter.Released released =
          limiter.acquire(failure.cause().code() + ' ' + failure.host());
      if (released != null) {
        MeshLog.warn(FailureLine.format(failure, released));
      }
    }
  }
}
