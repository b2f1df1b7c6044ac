package dev.meshaware.core.shutdown;

import dev.meshaware.core.config.Durations;
import dev.meshaware.core.diagnostics.ReportSection;
import dev.meshaware.core.diagnostics.StartupReport;
import java.util.LinkedHashMap;
import java.util.Map;

/** The startup report's section on shutdown: what happens at SIGTERM and at the JVM's end. */
public final class ShutdownReportSection implements ReportSection {
  private final ShutdownDrain drain;
  private final ProxyQuit quit;
  private final String noQuit;

  /**
   * {@code drain} and {@code quit} as the agent installed them; null for "not in effect", {@code
   * noQuit} saying why there is no quit.
   */
  public ShutdownReportSection(ShutdownDrain drain, ProxyQuit quit, String noQuit) {
    this.drain = drain;
    this.quit = quit;
    this.noQuit = noQuit;
  }

  @Override
  public String title() {
    return "shutdown";
  }

  @Override
  public int order() {
    return StartupReport.ORDER_SHUTDOWN;
  }

  @Override
  public Map<String, String> facts() {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put(
        "at SIGTERM",
        drain == null
            ? "nothing added (no mesh here, or delay and drain-timeout are 0)"
            : "keep serving "
                + Durations.seconds(drain.delay())
                + ", then wait up to "
                + Durations.seconds(drain.drainTimeout())
                + " for requests in flight");
    facts.put("proxy quit", quit == null ? noQuit : quit.describe());
    return facts;
  }
}
