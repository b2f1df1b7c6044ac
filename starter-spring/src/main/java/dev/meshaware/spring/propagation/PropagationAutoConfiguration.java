package dev.meshaware.spring.propagation;

import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.spring.ConditionalOnMeshawareFeature;
import dev.meshaware.spring.MeshawareAutoConfiguration;
import dev.meshaware.spring.MeshawareFeatures;
import dev.meshaware.spring.startup.StartupRecord;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Header forwarding by the starter: installs core's policy, holds where request headers ride
 * ({@link RequestHeaders}). The inbound filters, outbound interceptors and thread hops come from
 * {@link ServerPropagationAutoConfiguration}, {@link ClientPropagationAutoConfiguration} and {@link
 * TaskPropagationAutoConfiguration}.
 */
@AutoConfiguration(after = MeshawareAutoConfiguration.class)
@ConditionalOnMeshawareFeature(MeshawareFeatures.Feature.HEADER_FORWARDING)
public final class PropagationAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  HeaderPolicyInstallation meshawareHeaderPolicy(
      MeshawareSettings settings, ObjectProvider<StartupRecord> startup) {
    // The condition decided it, unless Spring AOT fixed the configuration at build time: then an
    // agent attached now keeps its own policy.
    boolean ours =
        MeshawareFeatures.decide(
                MeshawareFeatures.Feature.HEADER_FORWARDING, settings, startup.getIfAvailable())
            .on();
    return new HeaderPolicyInstallation(settings, ours);
  }

  /** Takes the installation only so that no request is served before the policy is in place. */
  @Bean
  @ConditionalOnMissingBean
  RequestHeaders meshawareRequestHeaders(
      HeaderPolicyInstallation policy, ObjectProvider<HeaderContext> contexts) {
    return new RequestHeaders(contexts.orderedStream().collect(Collectors.toList()));
  }

  /** Headers ride in OpenTelemetry's context too when the application has its API. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.opentelemetry.context.Context")
  static class OpenTelemetryContextConfiguration {
    @Bean
    @ConditionalOnMissingBean(OpenTelemetryHeaderContext.class)
    OpenTelemetryHeaderContext meshawareOpenTelemetryHeaderContext() {
      return new OpenTelemetryHeaderContext();
    }
  }
}
