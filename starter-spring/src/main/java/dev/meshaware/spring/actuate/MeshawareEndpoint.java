package dev.meshaware.spring.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/meshaware}: what meshaware found and decided in this application, read-only.
 * Like every endpoint but health, exposed only when the application exposes it ({@code
 * management.endpoints.web.exposure.include=meshaware}).
 */
@Endpoint(id = "meshaware")
public final class MeshawareEndpoint {
  private final List<EndpointSection> sections;

  public MeshawareEndpoint(List<EndpointSection> sections) {
    this.sections = List.copyOf(sections);
  }

  @ReadOperation
  public Map<String, Object> report() {
    Map<String, Object> report = new LinkedHashMap<>();
    for (EndpointSection section : sections) {
      report.put(section.name(), section.report());
    }
    return report;
  }
}
