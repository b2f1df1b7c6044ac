package dev.meshaware.spring.bind;

import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.spring.ConditionalOnMeshawareEnabled;
import dev.meshaware.spring.ConditionalOnMeshawareFeature;
import dev.meshaware.spring.MeshawareAutoConfiguration;
import dev.meshaware.spring.MeshawareFeatures;
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

  /**
   * Only where the check is the starter's: not with the agent's check in place, not with {@code
   * meshaware.bind.check=off}, not where no sidecar can be (unless the check is set explicitly).
   */
  @Bean
  @ConditionalOnMeshawareFeature(MeshawareFeatures.Feature.BIND_CHECK)
  WebServerBindCheck meshawareBindCheck(
      MeshawareSettings settings, ObjectProvider<StartupRecord> startup) {
    return new WebServerBindCheck(MeshawareFeatures.bindPolicy(settings, startup.getIfAvailable()));
  }

  /** The endpoint's {@code listeners}; a plain bean, shown only when the actuator is there. */
  @Bean
  @Order(300)
  EndpointSection meshawareListenersSection(
      ObjectProvider<WebServerBindCheck> check,
      MeshawareSettings settings,
      ObjectProvider<StartupRecord> startup) {
    return new ListenersSection(
        check.getIfAvailable(),
        () ->
            MeshawareFeatures.decide(
                    MeshawareFeatures.Feature.BIND_CHECK, settings, startup.getIfAvailable())
                .reason());
  }
}
