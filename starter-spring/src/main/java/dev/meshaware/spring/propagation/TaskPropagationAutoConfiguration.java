package dev.meshaware.spring.propagation;

import dev.meshaware.spring.ConditionalOnMeshawareFeature;
import dev.meshaware.spring.MeshawareFeatures;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Thread hops: the tasks of Spring's executors and schedulers (the application's own beans and the
 * ones Spring Boot builds), and, in a WebFlux application, the tasks Reactor's schedulers run for a
 * request's pipeline.
 */
@AutoConfiguration(after = PropagationAutoConfiguration.class)
@ConditionalOnMeshawareFeature(MeshawareFeatures.Feature.HEADER_FORWARDING)
@ConditionalOnBean(RequestHeaders.class)
public final class TaskPropagationAutoConfiguration {

  /** Static: a post-processor must exist before the executors it processes. */
  @Bean
  static ExecutorDecoratingPostProcessor meshawareExecutorDecorating() {
    return new ExecutorDecoratingPostProcessor();
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
  @ConditionalOnClass(name = "reactor.core.scheduler.Schedulers")
  static class ReactorConfiguration {
    /** Static: registered before the application's beans assemble their pipelines. */
    @Bean
    @ConditionalOnMissingBean
    static ReactorScheduleHook meshawareReactorScheduleHook() {
      return new ReactorScheduleHook();
    }
  }
}
