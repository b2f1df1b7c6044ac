package dev.meshaware.spring.propagation;

import dev.meshaware.core.propagation.PropagatingRunnable;
import org.springframework.core.task.TaskDecorator;

/**
 * Carries the submitting request's headers into {@code @Async} methods and tasks run by the
 * executors Spring Boot builds ({@code applicationTaskExecutor}), by core's rule: a one-shot task
 * belongs to the request that submitted it, even when it runs after the response; work submitted
 * outside any request runs with no headers, whatever the pool's thread held before. An application
 * with a {@code TaskDecorator} of its own adds this one to it (e.g. in a {@code
 * CompositeTaskDecorator}).
 */
public final class HeaderForwardingTaskDecorator implements TaskDecorator {
  @Override
  public Runnable decorate(Runnable task) {
    return PropagatingRunnable.owned(task);
  }
}
