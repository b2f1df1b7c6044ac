package dev.meshaware.spring.propagation;

import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.log.MeshLog;
import dev.meshaware.spring.ConditionalOnMeshawareFeature;
import dev.meshaware.spring.MeshawareAutoConfiguration;
import dev.meshaware.spring.MeshawareFeatures;
import dev.meshaware.spring.startup.StartupRecord;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskDecorator;

/**
 * Header forwarding by the starter: installs core's policy, holds where request headers ride
 * ({@link RequestHeaders}) and carries them into {@code @Async} work. The inbound filters and
 * outbound interceptors come from {@link ServerPropagationAutoConfiguration} and {@link
 * ClientPropagationAutoConfiguration}.
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

  /**
   * Spring Boot 3.5 applies a {@code TaskDecorator} bean only when it is the only one, so adding
   * ours next to the application's would silently switch the application's off: the starter adds
   * its decorator only when the application has none, and otherwise says how to combine them.
   */
  @Configuration(proxyBeanMethods = false)
  static class TaskDecoratorConfiguration {
    @Bean
    @ConditionalOnMissingBean(TaskDecorator.class)
    HeaderForwardingTaskDecorator meshawareTaskDecorator() {
      return new HeaderForwardingTaskDecorator();
    }

    @Bean
    SmartInitializingSingleton meshawareTaskDecoratorCheck(ListableBeanFactory beans) {
      return () -> {
        if (beans.getBeanNamesForType(HeaderForwardingTaskDecorator.class).length == 0) {
          MeshLog.info(
              "@Async tasks do not carry the request's headers: the application defines its own"
                  + " TaskDecorator "
                  + Arrays.toString(beans.getBeanNamesForType(TaskDecorator.class))
                  + "; combine it with dev.meshaware.spring.propagation"
                  + ".HeaderForwardingTaskDecorator, e.g. new CompositeTaskDecorator(List.of(yours,"
                  + " new HeaderForwardingTaskDecorator()))");
        }
      };
    }
  }
}
