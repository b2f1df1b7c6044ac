package dev.meshaware.spring.actuate;

import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.spring.ConditionalOnMeshawareEnabled;
import dev.meshaware.spring.MeshawareAutoConfiguration;
import dev.meshaware.spring.propagation.PropagationAutoConfiguration;
import dev.meshaware.spring.startup.StartupRecord;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;

/**
 * The read-only {@code /actuator/meshaware} endpoint and its startup and propagation sections. The
 * endpoint exists only where the application exposes it; Boot exposes none but health by default.
 */
@AutoConfiguration(after = {MeshawareAutoConfiguration.class, PropagationAutoConfiguration.class})
@ConditionalOnMeshawareEnabled
@ConditionalOnClass(
    name = {
      "org.springframework.boot.actuate.endpoint.annotation.Endpoint",
      "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint"
    })
public final class MeshawareEndpointAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint
  MeshawareEndpoint meshawareEndpoint(ObjectProvider<EndpointSection> sections) {
    return new MeshawareEndpoint(sections.orderedStream().collect(Collectors.toList()));
  }

  @Bean
  @Order(50)
  EndpointSection meshawareMeshSection(
      MeshawareSettings settings, ObjectProvider<StartupRecord> startup) {
    return new MeshSection(settings, startup);
  }

  @Bean
  @Order(100)
  EndpointSection meshawareStartupSection(ObjectProvider<StartupRecord> startup) {
    return new StartupSection(startup);
  }

  @Bean
  @Order(200)
  EndpointSection meshawarePropagationSection() {
    return new PropagationSection();
  }
}
