package dev.meshaware.spring.propagation;

import dev.meshaware.core.log.MeshLog;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.TaskExecutorAdapter;
import org.springframework.scheduling.concurrent.ConcurrentTaskExecutor;
import org.springframework.scheduling.concurrent.ConcurrentTaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.ReflectionUtils;

/**
 * Puts a {@link HeaderForwardingTaskDecorator} on every {@code ThreadPoolTaskExecutor}, {@code
 * ThreadPoolTaskScheduler}, {@code SimpleAsyncTaskExecutor} (and {@code SimpleAsyncTaskScheduler},
 * a subclass), {@code ConcurrentTaskExecutor}, {@code ConcurrentTaskScheduler} and {@code
 * TaskExecutorAdapter} bean: the application's own and the ones Spring Boot builds, composed with
 * the decorator each already has (the application's, or the ones Boot applied), which keeps running
 * exactly once. The bean stays the application's own object.
 *
 * <p>Spring keeps an executor's decorator in a private field without a getter (Spring 6.2 and 7.0
 * alike) and reads it at each submission, so it is read here by reflection and replaced through the
 * public setter before the bean is initialized. An executor whose decorator cannot be read is left
 * as it is, with one line: replacing a decorator unread could drop the application's.
 */
final class ExecutorDecoratingPostProcessor
    implements BeanPostProcessor, ApplicationListener<ApplicationReadyEvent> {

  /**
   * The executors composed at start, looked at again once the application is ready: a decorator the
   * application sets after its beans are made (in an {@code ApplicationRunner}, on a refresh event)
   * replaces meshaware's, and is composed with in turn. Emptied then.
   */
  private final List<Runnable> recheck = new ArrayList<>();

  /** Set at the first ready event: executors made later (prototypes, lazy beans) are not kept. */
  private boolean ready;

  @Override
  public void onApplicationEvent(ApplicationReadyEvent event) {
    List<Runnable> each;
    synchronized (recheck) {
      ready = true;
      each = new ArrayList<>(recheck);
      recheck.clear();
    }
    each.forEach(Runnable::run);
  }

  @Override
  public Object postProcessBeforeInitialization(Object bean, String beanName) {
    if (bean instanceof ThreadPoolTaskExecutor) {
      ThreadPoolTaskExecutor executor = (ThreadPoolTaskExecutor) bean;
      compose(bean, beanName, oneShots(executor::setTaskDecorator));
    } else if (bean instanceof ThreadPoolTaskScheduler) {
      // Hands its decorator the scheduled executor's own future, which says whether it repeats.
      ThreadPoolTaskScheduler scheduler = (ThreadPoolTaskScheduler) bean;
      compose(bean, beanName, oneShots(scheduler::setTaskDecorator));
    } else if (bean instanceof SimpleAsyncTaskExecutor) {
      SimpleAsyncTaskExecutor executor = (SimpleAsyncTaskExecutor) bean;
      compose(bean, beanName, oneShots(executor::setTaskDecorator));
    } else if (bean instanceof ConcurrentTaskScheduler) {
      // Decorates a task before scheduling it on the application's ScheduledExecutorService, a
      // Trigger's as the plain task: a decorator that looks at every task's scheduling method.
      ConcurrentTaskScheduler scheduler = (ConcurrentTaskScheduler) bean;
      compose(bean, beanName, decorator -> scheduler.setTaskDecorator(decorator.forAnyExecutor()));
    } else if (bean instanceof ConcurrentTaskExecutor) {
      // The adapter around an application's java.util.concurrent Executor.
      ConcurrentTaskExecutor executor = (ConcurrentTaskExecutor) bean;
      compose(bean, beanName, oneShots(executor::setTaskDecorator));
    } else if (bean instanceof TaskExecutorAdapter) {
      TaskExecutorAdapter executor = (TaskExecutorAdapter) bean;
      compose(bean, beanName, oneShots(executor::setTaskDecorator));
    }
    return bean;
  }

  /** Sets the form for an executor whose plain tasks never repeat (no stack walk for them). */
  private static DecoratorSetter oneShots(Consumer<TaskDecorator> setter) {
    return decorator -> setter.accept(decorator.forOneShotExecutor());
  }

  private void compose(Object executor, String beanName, DecoratorSetter setter) {
    Field field =
        ReflectionUtils.findField(executor.getClass(), "taskDecorator", TaskDecorator.class);
    if (field == null) {
      MeshLog.warn(
          "the tasks of executor bean '"
              + beanName
              + "' ("
              + executor.getClass().getName()
              + ") do not carry request headers: this Spring version keeps its TaskDecorator"
              + " where meshaware cannot read it to compose with it; set"
              + " new dev.meshaware.spring.propagation.HeaderForwardingTaskDecorator(yours) on it,"
              + " or use the meshaware agent");
      return;
    }
    ReflectionUtils.makeAccessible(field);
    if (!composeWith(field, executor, setter)) {
      return;
    }
    synchronized (recheck) {
      if (!ready) {
        recheck.add(() -> composeAgain(executor, beanName, field, setter));
      }
    }
  }

  /**
   * Puts meshaware's decorator around the one {@code executor} has; true if that was another's. One
   * already meshaware's (a bean processed twice, or set by the application itself) is kept, in the
   * form this executor needs (the setter may ask for another).
   */
  private static boolean composeWith(Field field, Object executor, DecoratorSetter setter) {
    TaskDecorator current = (TaskDecorator) ReflectionUtils.getField(field, executor);
    if (current instanceof HeaderForwardingTaskDecorator) {
      setter.set((HeaderForwardingTaskDecorator) current);
      return false;
    }
    setter.set(new HeaderForwardingTaskDecorator(current));
    return true;
  }

  private static void composeAgain(
      Object executor, String beanName, Field field, DecoratorSetter setter) {
    if (!composeWith(field, executor, setter)) {
      return;
    }
    MeshLog.info(
        "executor bean '"
            + beanName
            + "': the application set its own TaskDecorator after start-up, replacing"
            + " meshaware's; meshaware's now goes around it again, so its tasks keep carrying"
            + " request headers. A decorator set later than this (during requests) is not seen:"
            + " compose it with new dev.meshaware.spring.propagation"
            + ".HeaderForwardingTaskDecorator(yours)");
  }

  @FunctionalInterface
  private interface DecoratorSetter {
    void set(HeaderForwardingTaskDecorator decorator);
  }
}
