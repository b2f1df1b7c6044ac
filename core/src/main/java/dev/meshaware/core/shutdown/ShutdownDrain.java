package dev.meshaware.core.shutdown;

import dev.meshaware.core.config.Durations;
import dev.meshaware.core.config.MeshawareKeys;
import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.log.MeshLog;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;

/**
 * What happens between SIGTERM and the JVM's own shutdown. Kubernetes sends SIGTERM to the pod and
 * removes it from the Service's endpoints at the same moment, but the other sidecars learn of the
 * removal only a few seconds later and keep sending until then. So the application keeps serving
 * for {@code meshaware.shutdown.delay}, then waits up to {@code meshaware.shutdown.drain-timeout}
 * for inbound requests still in flight, and only then lets the JVM run its shutdown hooks.
 *
 * <p>The caller ({@link TermSignal}'s handler) must hand over to the JVM's shutdown whatever
 * happens here; this class never throws from {@link #terminate}.
 */
public final class ShutdownDrain {
  static final long POLL_MILLIS = 10;
  private static volatile boolean draining;

  private final Duration delay;
  private final Duration drainTimeout;
  private final IntSupplier inflight;
  private final DrainClock clock;
  private final AtomicBoolean begun = new AtomicBoolean();
  private final CountDownLatch hurry = new CountDownLatch(1);
  private volatile long begunAt;
  private volatile boolean waitOver;

  /** A drain of {@code delay} then up to {@code drainTimeout}, counting with {@code inflight}. */
  public ShutdownDrain(Duration delay, Duration drainTimeout, IntSupplier inflight) {
    this(delay, drainTimeout, inflight, DrainClock.SYSTEM);
  }

  /** As above, reading and waiting on {@code clock}. */
  public ShutdownDrain(
      Duration delay, Duration drainTimeout, IntSupplier inflight, DrainClock clock) {
    this.delay = delay;
    this.drainTimeout = drainTimeout;
    this.inflight = inflight;
    this.clock = clock;
  }

  /**
   * The drain the settings ask for, or null when there is nothing to wait for: both durations are
   * zero, or no sidecar is or could be here and neither duration was set explicitly.
   */
  public static ShutdownDrain from(MeshawareSettings settings, boolean mayHaveSidecar) {
    Duration delay = settings.get(MeshawareKeys.SHUTDOWN_DELAY);
    Duration drainTimeout = settings.get(MeshawareKeys.SHUTDOWN_DRAIN_TIMEOUT);
    boolean explicit =
        settings.isExplicit(MeshawareKeys.SHUTDOWN_DELAY)
            || settings.isExplicit(MeshawareKeys.SHUTDOWN_DRAIN_TIMEOUT);
    if ((delay.isZero() && drainTimeout.isZero()) || !(mayHaveSidecar || explicit)) {
      return null;
    }
    return new ShutdownDrain(delay, drainTimeout, InflightRequests::count);
  }

  /** How long the application keeps serving after SIGTERM. */
  public Duration delay() {
    return delay;
  }

  /** How long, after the delay, requests still in flight are waited for at most. */
  public Duration drainTimeout() {
    return drainTimeout;
  }

  /**
   * True once SIGTERM arrived: the process is shutting down and serves only what the mesh still
   * sends during the delay. An application may use it to report "not ready".
   */
  public static boolean isDraining() {
    return draining;
  }

  /** True once SIGTERM arrived and {@link #terminate} began the drain. */
  public boolean begun() {
    return begun.get();
  }

  /** As {@link #terminate(String, Runnable, String)} with nothing to do first. */
  public boolean terminate(String signal) {
    return terminate(signal, () -> {}, "");
  }

  /**
   * Handles SIGTERM. The first call runs {@code first} (for the starter: readiness to refusing
   * traffic; named in the first line as {@code firstSaid}), holds the caller for the delay and the
   * drain, then returns true: the caller hands over to the JVM's shutdown. A later call, while the
   * first one waits, cuts that wait short and returns false (an operator in a hurry).
   */
  public boolean terminate(String signal, Runnable first, String firstSaid) {
    if (!begun.compareAndSet(false, true)) {
      hurry(signal);
      return false;
    }
    begunAt = clock.nanoTime();
    draining = true;
    String done = firstSaid.isEmpty() ? "" : firstSaid + "; ";
    try {
      first.run();
    } catch (RuntimeException e) {
      done = "";
      MeshLog.warn(
          signal + ": first step failed (" + firstSaid + ": " + e + "); draining all the same");
    }
    try {
      MeshLog.info(
          signal
              + ": draining; "
              + done
              + "the application keeps serving for "
              + Durations.text(delay)
              + " (meshaware.shutdown.delay) while the mesh stops sending it requests, then waits"
              + " up to "
              + Durations.text(drainTimeout)
              + " (meshaware.shutdown.drain-timeout) for requests in flight ("
              + inflight.getAsInt()
              + " now)");
      awaitHurry(delay.toNanos());
      int left = inflight.getAsInt();
      if (left > 0 && hurry.getCount() > 0 && !drainTimeout.isZero()) {
        MeshLog.info(
            "delay over after "
                + Durations.seconds(sinceBegun())
                + "; waiting up to "
                + Durations.text(drainTimeout)
                + " for "
                + requests(left)
                + " in flight");
        long deadline = clock.nanoTime() + drainTimeout.toNanos();
        while ((left = inflight.getAsInt()) > 0 && clock.nanoTime() - deadline < 0) {
          if (awaitHurry(
              Math.min(TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS), deadline - clock.nanoTime()))) {
            break;
          }
        }
      }
      waitOver = true;
      MeshLog.info(ending(left));
    } catch (RuntimeException e) {
      waitOver = true;
      MeshLog.warn("shutdown drain failed (" + e + "); the JVM shuts down now");
    }
    return true;
  }

  /**
   * Another signal (a second SIGTERM, a SIGINT) while {@link #terminate} waits: cuts the wait
   * short. Returns false when SIGTERM has not arrived, so the caller handles the signal as usual;
   * true once it has, when the JVM is already on its way out.
   */
  public boolean hurry(String signal) {
    if (!begun.get()) {
      return false;
    }
    if (!waitOver && hurry.getCount() > 0) {
      String which = signal.equals("SIGTERM") ? "second SIGTERM" : signal;
      MeshLog.info(
          which
              + ", "
              + Durations.seconds(sinceBegun())
              + " after the first SIGTERM: skipping the rest of the shutdown wait");
      hurry.countDown();
    }
    return true;
  }

  private String ending(int left) {
    String when = Durations.seconds(sinceBegun()) + " after SIGTERM";
    String inflightNow = left == 0 ? "no request in flight" : requests(left) + " still in flight";
    String next = ": the JVM shuts down now (shutdown hooks, then exit)";
    if (hurry.getCount() == 0) {
      return "wait cut short " + when + ", " + inflightNow + next;
    }
    if (left == 0) {
      return "drained " + when + ", " + inflightNow + next;
    }
    return "drain timeout "
        + when
        + ", "
        + inflightNow
        + " (meshaware.shutdown.drain-timeout="
        + Durations.text(drainTimeout)
        + ")"
        + next;
  }

  /** Waits up to {@code nanos}; true when hurried. */
  private boolean awaitHurry(long nanos) {
    if (nanos <= 0) {
      return hurry.getCount() == 0;
    }
    try {
      return clock.await(hurry, nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  private Duration sinceBegun() {
    return Duration.ofNanos(clock.nanoTime() - begunAt);
  }

  private static String requests(int count) {
    return count == 1 ? "1 request" : count + " requests";
  }
}
