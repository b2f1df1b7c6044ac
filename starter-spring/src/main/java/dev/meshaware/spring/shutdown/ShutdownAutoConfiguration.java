package dev.meshaware.spring.shutdown;

import dev.meshaware.core.AgentStatus;
import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.shutdown.ShutdownDrain;
import dev.meshaware.spring.ConditionalOnMeshawareEnabled;
import dev.meshaware.spring.MeshawareAutoConfiguration;
import dev.meshaware.spring.actuate.EndpointSection;
import dev.meshaware.spring.startup.StartupRecord;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
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

  /** Holds nothing when there is no drain to do (no sidecar possible, zero delay, the agent's). */
  @Bean
  ShutdownDelayLifecycle meshawareShutdownDelay(
      MeshawareSettings settings,
      ObjectProvider<StartupRecord> startup,
      ApplicationContext context) {
    ShutdownDrain drain = null;
    if (!AgentStatus.handles(AgentStatus.Feature.SHUTDOWN)) {
      drain =
          ShutdownDrain.from(
              settings, StartupRecord.mayHaveSidecar(settings, startup.getIfAvailable()));
    }
    return new ShutdownDelayLifecycle(drain, context);
  }

  /** The endpoint's {@code shutdown}; a plain bean, shown only when the actuator is there. */
  @Bean
  @Order(400)
  EndpointSection meshawareShutdownSection(ShutdownDelayLifecycle lifecycle) {
    return new ShutdownSection(lifecycle);
  }
}
