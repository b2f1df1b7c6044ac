package dev.meshaware.spring.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.spring.testing.Carried;
import dev.meshaware.spring.testing.Downstream;
import dev.meshaware.spring.testing.RunningApp;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Review: {@code ExecutorDecoratingPostProcessor} keeps every executor it composes in a list that
 * is emptied once, at {@code ApplicationReadyEvent}. An executor made after that (a prototype bean,
 * one per tenant or per job; {@code createBean}) is added and never removed: the list grows without
 * bound and keeps every such executor (and its decorator chain) reachable after the application has
 * shut it down and dropped it.
 */
class RecheckListGrowthTest {

  @Test
  void executorsMadeAfterStartAreNotKeptForever() throws Exception {
    try (Downstream downstream = new Downstream();
        RunningApp app = Carried.start(WebApplicationType.NONE, App.class, downstream)) {
      List<WeakReference<ThreadPoolTaskExecutor>> made = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        ThreadPoolTaskExecutor executor = app.context().getBean(ThreadPoolTaskExecutor.class);
        executor.submit(() -> "ran").get();
        executor.shutdown();
        made.add(new WeakReference<>(executor));
      }
      ConfigurableListableBeanFactory beans = app.context().getBeanFactory();
      Object processor = null;
      for (BeanPostProcessor each :
          ((org.springframework.beans.factory.support.AbstractBeanFactory) beans)
              .getBeanPostProcessors()) {
        if (each.getClass().getSimpleName().equals("ExecutorDecoratingPostProcessor")) {
          processor = each;
        }
      }
      assertThat(processor).isNotNull();
      Field recheck = processor.getClass().getDeclaredField("recheck");
      recheck.setAccessible(true);
      assertThat((List<?>) recheck.get(processor))
          .as("executors kept for a re-check that never comes")
          .hasSizeLessThan(10);
      for (int i = 0; i < 10 && made.stream().anyMatch(ref -> ref.get() != null); i++) {
        System.gc();
        Thread.sleep(50);
      }
      assertThat(made.stream().filter(ref -> ref.get() != null).count())
          .as("prototype executors still reachable after the application dropped them")
          .isZero();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {
    @Bean
    @Scope("prototype")
    ThreadPoolTaskExecutor perJob() {
      ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
      executor.setCorePoolSize(1);
      return executor;
    }
  }
}
