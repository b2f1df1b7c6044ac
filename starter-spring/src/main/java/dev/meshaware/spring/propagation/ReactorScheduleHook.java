package dev.meshaware.spring.propagation;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import reactor.core.scheduler.Schedulers;

/**
 * Registers {@link ReactorHeaderScopes#onSchedule} as Reactor's schedule hook under meshaware's own
 * key, next to any hook the application or another library registered. The hook is process-wide
 * while application contexts come and go (tests start several in one JVM): it is removed when the
 * last context that registered it closes.
 */
final class ReactorScheduleHook implements InitializingBean, DisposableBean {
  private static final String KEY = "meshaware.headers";

  private static int registrations;

  @Override
  public void afterPropertiesSet() {
    synchronized (ReactorScheduleHook.class) {
      if (registrations++ == 0) {
        Schedulers.onScheduleHook(KEY, ReactorHeaderScopes::onSchedule);
      }
    }
  }

  @Override
  public void destroy() {
    synchronized (ReactorScheduleHook.class) {
      if (--registrations == 0) {
        Schedulers.resetOnScheduleHook(KEY);
      }
    }
  }
}
