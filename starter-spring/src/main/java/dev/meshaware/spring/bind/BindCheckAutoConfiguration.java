package dev.meshaware.spring.bind;

import dev.meshaware.core.AgentStatus;
import dev.meshaware.core.bind.ListenAddressPolicy;
import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.spring.ConditionalOnMeshawareEnabled;
import dev.meshaware.spring.MeshawareAutoConfiguration;
import dev.meshaware.spring.actuate.EndpointSection;
import dev.meshaware.spring.startup.StartupRecord;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;

/**
 * Checks the address and port every Spring Boot web server (the application's and a separate
 * management server) listens on, once it listens, with core's verdicts and messages: a server on
 * loopback only gets no request through the mesh since Istio 1.10, and one on a sidecar port
 * clashes with the proxy. When the meshaware agent checks binds (it checks every one at the JDK
 * level), the starter adds nothing.
 */
@AutoConfiguration(after = MeshawareAutoConfiguration.class)
@ConditionalOnMeshawareEnabled
public final class BindCheckAutoConfiguration {

  /** Without a policy (check off, no sidecar possible, the agent's job) the listener is silent. */
  @Bean
  WebServerBindCheck meshawareBindCheck(
      MeshawareSettings settings, ObjectProvider<StartupRecord> startup) {
    ListenAddressPolicy policy = null;
    if (!AgentStatus.handles(AgentStatus.Feature.BIND_CHECK)) {
      policy =
          ListenAddressPolicy.from(
              settings, StartupRecord.mesh(settings, startup.getIfAvailable()));
    }
    return new WebServerBindCheck(policy);
  }

  /** The endpoint's {@code listeners}; a plain bean, shown only when the actuator is there. */
  @Bean
  @Order(300)
  EndpointSection meshawareListenersSection(WebServerBindCheck check) {
    return new ListenersSection(check);
  }
}
