package dev.meshaware.spring.propagation;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;

/**
 * Thread hops: the tasks of Spring's executors and schedulers (the application's own beans and the
 * ones Spring Boot builds).
 */
@AutoConfiguration(after = PropagationAutoConfiguration.class)
@ConditionalOnBean(RequestHeaders.class)
public final class TaskPropagationAutoConfiguration {

  /** Static: a post-processor must exist before the executors it processes. */
  @Bean
  static ExecutorDecoratingPostProcessor meshawareExecutorDecorating() {
    return new ExecutorDecoratingPostProcessor();
  }
}
