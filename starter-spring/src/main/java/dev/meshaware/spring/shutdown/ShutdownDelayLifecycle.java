package dev.meshaware.spring.shutdown;

import dev.meshaware.core.config.Durations;
import dev.meshaware.core.log.MeshLog;
import dev.meshaware.core.shutdown.ShutdownDrain;
import dev.meshaware.core.shutdown.TermSignal;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Holds SIGTERM while the application runs, so that the delay comes before every shutdown step.
 * Spring closes the context from a JVM shutdown hook, and the JVM starts every hook at once: a
 * delay inside Spring's would leave the application serving while other libraries' hooks already
 * take it apart, and a second SIGTERM could not end it. So on SIGTERM core's {@link TermSignal}
 * handler turns readiness to {@code REFUSING_TRAFFIC} and keeps the whole application serving for
 * the delay (and the in-flight requests for up to the drain timeout), then lets the JVM shut down
 * as it would have: Spring's hook closes the context and this bean's {@link #stop()} has nothing
 * left to do.
 *
 * <p>A context closed by other means (from code, the actuator's {@code shutdown}), or a JVM where
 * SIGTERM cannot be taken, gets the delay here instead, as the first thing to stop: everything else
 * (the web server's graceful shutdown, executors, pools) stops only after.
 */
final class ShutdownDelayLifecycle implements SmartLifecycle {
  /**
   * The highest phase stops first; Boot's web server graceful shutdown stops at {@code
   * DEFAULT_PHASE - 1024}, the beans of the default phase (executors, message listeners) just
   * before it, and the delay must come before all of them.
   */
  static final int PHASE = Integer.MAX_VALUE;

  private static final String REFUSING = "readiness is REFUSING_TRAFFIC";

  private final ShutdownDrain drain;
  private final ApplicationContext context;
  private volatile boolean running;
  private volatile TermSignal signal;

  /**
   * @param drain null: nothing to hold, the context closes as without meshaware
   */
  ShutdownDelayLifecycle(ShutdownDrain drain, ApplicationContext context) {
    this.drain = drain;
    this.context = context;
  }

  /** The drain in effect, or null. */
  ShutdownDrain drain() {
    return drain;
  }

  /** True while SIGTERM is held here, ahead of the JVM's shutdown hooks. */
  boolean holdsSigterm() {
    return signal != null;
  }

  @Override
  public void start() {
    running = true;
    if (drain != null && signal == null) {
      signal =
          TermSignal.take(
              drain,
              this::refuseTraffic,
              REFUSING,
              "the shutdown delay runs only when Spring closes the context, beside other"
                  + " libraries' shutdown hooks");
    }
  }

  @Override
  public void stop() {
    running = false;
    if (drain == null || drain.begun()) {
      return; // SIGTERM's handler already held the application before the JVM's shutdown began
    }
    TermSignal held = signal;
    if (held != null) {
      held.release(); // closing by other means: SIGTERM is the JVM's again
      signal = null;
    }
    if (drain.delay().isZero()) {
      return;
    }
    Duration delay = drain.delay();
    long begun = System.nanoTime();
    refuseTraffic();
    MeshLog.info(
        "shutting down: "
            + REFUSING
            + "; the application keeps serving for "
            + Durations.text(delay)
            + " (meshaware.shutdown.delay) while the mesh stops sending it requests");
    try {
      TimeUnit.NANOSECONDS.sleep(delay.toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // a test, or the JVM ending: shut down now
    }
    MeshLog.info(
        "delay over after "
            + Durations.seconds(Duration.ofNanos(System.nanoTime() - begun))
            + ": Spring Boot's graceful shutdown now finishes the requests in flight"
            + " (server.shutdown=graceful, spring.lifecycle.timeout-per-shutdown-phase)");
  }

  /**
   * Boot's own web contexts publish this as they close, but only once the context closes; a context
   * without a web server (a worker reading a queue) does not at all, and its readiness probe must
   * fail during the delay too.
   */
  private void refuseTraffic() {
    AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
