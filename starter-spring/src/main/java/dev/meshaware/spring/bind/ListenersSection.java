package dev.meshaware.spring.bind;

import dev.meshaware.core.AgentStatus;
import dev.meshaware.core.bind.ListenersReportSection;
import dev.meshaware.spring.actuate.EndpointSection;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The endpoint's {@code listeners}: each web server's {@code address:port} with its verdict, and
 * who checked them. When the agent checks binds, its own record of every server socket of the JVM.
 */
final class ListenersSection implements EndpointSection {
  private final WebServerBindCheck check;
  private final Supplier<String> whyNot;

  /**
   * @param check null when the check is not the starter's
   * @param whyNot the reason it is not, for the report
   */
  ListenersSection(WebServerBindCheck check, Supplier<String> whyNot) {
    this.check = check;
    this.whyNot = whyNot;
  }

  /**
   * {@code checkedBy}: {@code starter}, {@code agent}, or {@code off} (with {@code reason}: no
   * sidecar possible, the check off).
   */
  record Report(String checkedBy, Map<String, String> listeners, String reason) {}

  @Override
  public String name() {
    return "listeners";
  }

  @Override
  public Report report() {
    if (AgentStatus.handles(AgentStatus.Feature.BIND_CHECK)) {
      return new Report("agent", new ListenersReportSection().facts(), null);
    }
    if (check == null || !check.isActive()) {
      return new Report("off", Map.of(), whyNot.get());
    }
    return new Report("starter", check.listeners(), null);
  }
}
