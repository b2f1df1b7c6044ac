package dev.meshaware.spring.propagation;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import reactor.core.publisher.Hooks;
import reactor.core.scheduler.Schedulers;

/**
 * Registers meshaware's two Reactor hooks under meshaware's own key, next to any hook the
 * application or another library registered: {@link ReactorHeaderScopes#onSchedule} (tasks a
 * scheduler runs for a request's pipeline) and {@link ReactorHeaderScopes#acrossPipelines}
 * (operators where one pipeline's signal reaches another's subscribers). The operator hook applies
 * to operators assembled after it, so it is registered before any application bean is made (a bean
 * factory post-processor: a {@code cache()}d {@code Mono} built in a bean's constructor is covered
 * too). The hooks are process-wide while application contexts come and go (tests start several in
 * one JVM): they are removed when the last context that registered them closes.
 */
final class ReactorScheduleHook
    implements BeanFactoryPostProcessor, InitializingBean, DisposableBean {
  private static final String KEY = "meshaware.headers";

  private static int registrations;

  private boolean registered;

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    register();
  }

  /** Where post-processors are not run again (an application run from Spring AOT's code). */
  @Override
  public void afterPropertiesSet() {
    register();
  }

  private void register() {
    synchronized (ReactorScheduleHook.class) {
      if (registered) {
        return;
      }
      registered = true;
      if (registrations++ == 0) {
        Schedulers.onScheduleHook(KEY, ReactorHeaderScopes::onSchedule);
        Hooks.onEachOperator(KEY, ReactorHeaderScopes.acrossPipelines());
      }
    }
  }

  @Override
  public void destroy() {
    synchronized (ReactorScheduleHook.class) {
      if (!registered) {
        return;
      }
      registered = false;
      if (--registrations == 0) {
        Schedulers.resetOnScheduleHook(KEY);
        Hooks.resetOnEachOperator(KEY);
      }
    }
  }
}
