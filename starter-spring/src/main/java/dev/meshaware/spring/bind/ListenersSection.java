package dev.meshaware.spring.bind;

import dev.meshaware.core.AgentStatus;
import dev.meshaware.core.bind.ListenersReportSection;
import dev.meshaware.spring.actuate.EndpointSection;
import java.util.Map;

/**
 * The endpoint's {@code listeners}: each web server's {@code address:port} with its verdict, and
 * who checked them. When the agent checks binds, its own record of every server socket of the JVM.
 */
final class ListenersSection implements EndpointSection {
  private final WebServerBindCheck check;

  ListenersSection(WebServerBindCheck check) {
    this.check = check;
  }

  /** {@code checkedBy}: {@code starter}, {@code agent}, or {@code off} (no sidecar possible). */
  record Report(String checkedBy, Map<String, String> listeners) {}

  @Override
  public String name() {
    return "listeners";
  }

  @Override
  public Report report() {
    if (AgentStatus.handles(AgentStatus.Feature.BIND_CHECK)) {
      return new Report("agent", new ListenersReportSection().facts());
    }
    return new Report(check.isActive() ? "starter" : "off", check.listeners());
  }
}
