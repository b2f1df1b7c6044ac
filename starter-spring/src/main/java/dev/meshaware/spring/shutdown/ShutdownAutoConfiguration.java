package dev.meshaware.spring.shutdown;

import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.spring.ConditionalOnMeshawareEnabled;
import dev.meshaware.spring.ConditionalOnMeshawareFeature;
import dev.meshaware.spring.MeshawareAutoConfiguration;
import dev.meshaware.spring.MeshawareFeatures;
import dev.meshaware.spring.actuate.EndpointSection;
import dev.meshaware.spring.startup.StartupRecord;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;

/**
 * Shutdown in step with the mesh: on SIGTERM, before any shutdown hook runs, the application says
 * it refuses traffic and keeps serving for {@code meshaware.shutdown.delay}, while the other
 * sidecars learn that the pod is gone, and only then lets the JVM shut down, where Spring Boot's
 * graceful shutdown finishes the requests in flight. With the agent attached, its SIGTERM handler
 * already does this, so the starter takes no second one and adds nothing.
 */
@AutoConfiguration(after = MeshawareAutoConfiguration.class)
@ConditionalOnMeshawareEnabled
public final class ShutdownAutoConfiguration {

  /**
   * Only where the delay is the starter's: not with the agent's SIGTERM handler in place, not where
   * no sidecar can be (unless a delay is set explicitly), not with both durations 0.
   */
  @Bean
  @ConditionalOnMeshawareFeature(MeshawareFeatures.Feature.SHUTDOWN)
  // One per JVM's application: a child context (SpringApplicationBuilder.child) uses its
  // parent's, so the delay is held once, not once per context.
  @ConditionalOnMissingBean(ShutdownDelayLifecycle.class)
  ShutdownDelayLifecycle meshawareShutdownDelay(
      MeshawareSettings settings,
      ObjectProvider<StartupRecord> startup,
      ApplicationContext context) {
    return new ShutdownDelayLifecycle(
        MeshawareFeatures.shutdownDrain(settings, startup.getIfAvailable()), context);
  }

  /** The endpoint's {@code shutdown}; a plain bean, shown only when the actuator is there. */
  @Bean
  @Order(400)
  EndpointSection meshawareShutdownSection(
      ObjectProvider<ShutdownDelayLifecycle> lifecycle,
      MeshawareSettings settings,
      ObjectProvider<StartupRecord> startup) {
    return new ShutdownSection(
        lifecycle.getIfAvailable(),
        () ->
            MeshawareFeatures.decide(
                    MeshawareFeatures.Feature.SHUTDOWN, settings, startup.getIfAvailable())
                .reason());
  }
}
