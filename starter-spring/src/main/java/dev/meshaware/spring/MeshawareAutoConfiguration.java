package dev.meshaware.spring;

import dev.meshaware.core.config.MeshawareSettings;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * meshaware's settings for this application, read by core from Spring's environment. Every other
 * meshaware auto-configuration builds on them.
 */
@AutoConfiguration
@ConditionalOnMeshawareEnabled
public final class MeshawareAutoConfiguration {

  /**
   * Usually already registered by the startup gate, which read the same settings before the context
   * existed (so bad values are reported once); created here when the context was not started
   * through {@code SpringApplication}.
   */
  @Bean
  @ConditionalOnMissingBean
  MeshawareSettings meshawareSettings(ConfigurableEnvironment environment) {
    return OnMeshawareFeatureCondition.settings(null, environment);
  }
}
