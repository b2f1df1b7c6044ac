package dev.meshaware.spring.actuate;

import dev.meshaware.core.AgentStatus;
import dev.meshaware.core.propagation.HeaderPolicy;
import dev.meshaware.core.propagation.Propagation;
import java.util.List;
import java.util.Locale;

/** The header policy in force: who forwards, which headers, which hosts and topics get none. */
final class PropagationSection implements EndpointSection {

  /** The report; {@code forwardedBy} is {@code starter}, {@code agent} or {@code none}. */
  record Report(
      String forwardedBy,
      List<String> headers,
      String excludeHosts,
      String excludeTopics,
      String periodic,
      int maxValueLength,
      int maxTotalLength) {}

  @Override
  public String name() {
    return "propagation";
  }

  @Override
  public Report report() {
    HeaderPolicy policy = Propagation.policy();
    if (policy == null) {
      return new Report("none", List.of(), null, null, null, 0, 0);
    }
    String by = AgentStatus.handles(AgentStatus.Feature.HEADER_FORWARDING) ? "agent" : "starter";
    return new Report(
        by,
        policy.names(),
        policy.excludedHosts().toString(),
        policy.excludedTopics().toString(),
        policy.periodic().name().toLowerCase(Locale.ROOT),
        HeaderPolicy.MAX_VALUE_LENGTH,
        HeaderPolicy.MAX_TOTAL_LENGTH);
  }
}
