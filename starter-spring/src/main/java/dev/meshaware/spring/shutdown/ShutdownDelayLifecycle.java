package dev.meshaware.spring.shutdown;

import dev.meshaware.core.config.Durations;
import dev.meshaware.core.log.MeshLog;
import dev.meshaware.core.shutdown.ShutdownDrain;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * The first thing to stop when the context closes: readiness becomes {@code REFUSING_TRAFFIC}, then
 * the application keeps serving for the delay. Everything else (the web server's graceful shutdown,
 * executors, pools) stops only after, so the requests the mesh still sends in the delay are served
 * with the whole application alive.
 */
final class ShutdownDelayLifecycle implements SmartLifecycle {
  /**
   * The highest phase stops first; Boot's web server graceful shutdown stops at {@code
   * DEFAULT_PHASE - 1024}, the beans of the default phase (executors, message listeners) just
   * before it, and the delay must come before all of them.
   */
  static final int PHASE = Integer.MAX_VALUE;

  private final ShutdownDrain drain;
  private final ApplicationContext context;
  private volatile boolean running;

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

  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    if (drain == null || drain.delay().isZero()) {
      return;
    }
    Duration delay = drain.delay();
    long begun = System.nanoTime();
    // Boot's own web contexts already publish this as they close; a context without a web server
    // (a worker reading a queue) does not, and its readiness probe must fail during the delay too.
    AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
    MeshLog.info(
        "shutting down: readiness is REFUSING_TRAFFIC; the application keeps serving for "
            + Durations.text(delay)
            + " (meshaware.shutdown.delay) while the mesh stops sending it requests");
    try {
      TimeUnit.NANOSECONDS.sleep(delay.toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // a second signal or a test: shut down now
    }
    MeshLog.info(
        "delay over after "
            + Durations.seconds(Duration.ofNanos(System.nanoTime() - begun))
            + ": Spring Boot's graceful shutdown now finishes the requests in flight"
            + " (server.shutdown=graceful, spring.lifecycle.timeout-per-shutdown-phase)");
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
