package dev.meshaware.spring.shutdown;

import dev.meshaware.core.AgentStatus;
import dev.meshaware.core.config.Durations;
import dev.meshaware.core.shutdown.ShutdownDrain;
import dev.meshaware.spring.actuate.EndpointSection;
import java.util.function.Supplier;

/** The endpoint's {@code shutdown}: what happens when the context closes, and who does it. */
final class ShutdownSection implements EndpointSection {
  private final ShutdownDelayLifecycle lifecycle;
  private final Supplier<String> whyNot;

  /**
   * @param lifecycle null when the delay is not the starter's
   * @param whyNot the reason it is not, for the report
   */
  ShutdownSection(ShutdownDelayLifecycle lifecycle, Supplier<String> whyNot) {
    this.lifecycle = lifecycle;
    this.whyNot = whyNot;
  }

  /** {@code delay} for people ({@code 3.00 s}), {@code delayMillis} for tools. */
  record Report(String heldBy, long delayMillis, String delay, String description) {}

  @Override
  public String name() {
    return "shutdown";
  }

  @Override
  public Report report() {
    if (AgentStatus.handles(AgentStatus.Feature.SHUTDOWN)) {
      return new Report(
          "agent", 0, null, "the agent's SIGTERM handler holds the delay (see its startup report)");
    }
    ShutdownDrain drain = lifecycle != null ? lifecycle.drain() : null;
    if (drain == null || drain.delay().isZero()) {
      return new Report(
          "none",
          0,
          null,
          "nothing added: " + (drain == null ? whyNot.get() : "meshaware.shutdown.delay is 0"));
    }
    return new Report(
        "starter",
        drain.delay().toMillis(),
        Durations.seconds(drain.delay()),
        (lifecycle.holdsSigterm()
                ? "on SIGTERM, before any shutdown hook runs: "
                : "when the context closes (SIGTERM cannot be taken here): ")
            + "readiness REFUSING_TRAFFIC and keep serving for the delay, then Spring Boot's"
            + " graceful shutdown");
  }
}
