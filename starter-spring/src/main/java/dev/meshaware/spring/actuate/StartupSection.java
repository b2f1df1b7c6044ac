package dev.meshaware.spring.actuate;

import dev.meshaware.core.config.Durations;
import dev.meshaware.core.startup.GateResult;
import dev.meshaware.spring.startup.StartupRecord;
import java.util.Locale;
import org.springframework.beans.factory.ObjectProvider;

/** The startup gate's verdict: who ran it, what it decided, how long it held the start. */
final class StartupSection implements EndpointSection {
  private final ObjectProvider<StartupRecord> record;

  StartupSection(ObjectProvider<StartupRecord> record) {
    this.record = record;
  }

  /** The report; {@code waited} for people ({@code 0.43 s}), {@code waitedMillis} for tools. */
  record Report(String ranBy, String verdict, long waitedMillis, String waited, String message) {}

  @Override
  public String name() {
    return "startup";
  }

  @Override
  public Report report() {
    StartupRecord startup = record.getIfAvailable();
    if (startup == null) {
      return new Report(
          "none", null, 0, null, "the application was not started by SpringApplication");
    }
    String ranBy = startup.ranBy().name().toLowerCase(Locale.ROOT);
    GateResult gate = startup.gate();
    if (gate == null) {
      return new Report(ranBy, null, 0, null, "the agent was attached after start: no gate ran");
    }
    return new Report(
        ranBy,
        gate.verdict().name(),
        gate.waited().toMillis(),
        Durations.seconds(gate.waited()),
        gate.message());
  }
}
