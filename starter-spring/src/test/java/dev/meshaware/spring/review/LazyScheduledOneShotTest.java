package dev.meshaware.spring.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.spring.testing.Carried;
import dev.meshaware.spring.testing.Downstream;
import dev.meshaware.spring.testing.RunningApp;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.ConcurrentTaskScheduler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * Review: "{@code @Scheduled} never" carries headers. A {@code @Lazy} bean with a one-time
 * {@code @Scheduled(initialDelay = ...)} method (Spring 6.1+) made during a request is scheduled
 * there and then, on the request's thread, by {@code ScheduledAnnotationBeanPostProcessor}, through
 * the {@code ConcurrentTaskScheduler} bean's {@code schedule(Runnable, Instant)}: a one-shot, so it
 * carries the request that happened to first touch the bean. Also on Boot's {@code
 * ThreadPoolTaskScheduler} under {@code inherit}, and on one behind a Spring AOP proxy (whose
 * frames lie between the decoration and the registrar).
 */
class LazyScheduledOneShotTest {

  /** On the application's ConcurrentTaskScheduler, periodic work carrying nothing. */
  @Test
  void aScheduledMethodOfALazyBeanCarriesNoRequest() throws Exception {
    exercise("concurrent", "none");
  }

  /**
   * On the ThreadPoolTaskScheduler Boot builds, with periodic work inheriting: a fixed-delay
   * {@code @Scheduled} method of the lazy bean carries nothing either.
   */
  @Test
  void aLazyBeansScheduledMethodsCarryNoRequestOnBootsSchedulerUnderInherit() throws Exception {
    exercise("boot", "inherit");
  }

  /**
   * Boot's scheduler wrapped in a Spring AOP proxy with two interceptors (as metrics code does):
   * the proxy's frames lie between the decoration and the registrar.
   */
  @Test
  void aLazyBeansScheduledMethodsCarryNoRequestThroughAProxiedScheduler() throws Exception {
    exercise("proxied", "none");
  }

  private static void exercise(String scheduler, String periodic) throws Exception {
    try (Downstream downstream = new Downstream();
        RunningApp app =
            Carried.start(
                WebApplicationType.SERVLET,
                App.class,
                downstream,
                "app.scheduler=" + scheduler,
                "meshaware.propagation.periodic=" + periodic)) {
      if (scheduler.equals("proxied")) {
        assertThat(app.context().getBean(TaskScheduler.class).getClass().getName())
            .contains("SpringCGLIB");
      }
      assertThat(app.get("/touch", Carried.headers("rid-touch")).body()).isEqualTo("touched");
      Carried.check(downstream, "/scheduled-once", null);
      for (int run = 1; run <= 3; run++) {
        Carried.check(downstream, "/scheduled-every-" + run, null);
      }
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @EnableScheduling
  @Import(App.Calls.class)
  static class App {
    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnProperty(
        name = "app.scheduler",
        havingValue = "concurrent")
    ConcurrentTaskScheduler taskScheduler() {
      return new ConcurrentTaskScheduler(Executors.newSingleThreadScheduledExecutor());
    }

    /** Times and logs every call to Boot's scheduler, as an application's metrics code might. */
    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnProperty(
        name = "app.scheduler",
        havingValue = "proxied")
    static BeanPostProcessor instrumentScheduler() {
      return new BeanPostProcessor() {
        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
          if (!beanName.equals("taskScheduler")) {
            return bean;
          }
          ProxyFactory proxy = new ProxyFactory(bean);
          proxy.setProxyTargetClass(true);
          proxy.addAdvice(
              (MethodInterceptor)
                  invocation -> {
                    long start = System.nanoTime();
                    try {
                      return invocation.proceed();
                    } finally {
                      CALLS.addAndGet(System.nanoTime() - start > 0 ? 1 : 1);
                    }
                  });
          proxy.addAdvice(
              (MethodInterceptor)
                  invocation -> {
                    CALLS.incrementAndGet();
                    return invocation.proceed();
                  });
          return proxy.getProxy();
        }
      };
    }

    static final AtomicInteger CALLS = new AtomicInteger();

    @Bean
    @Lazy
    Job job(RestClient.Builder builder, Environment env) {
      return new Job(
          builder.requestFactory(new JdkClientHttpRequestFactory()).build(),
          env.getProperty("app.downstream"));
    }

    public static class Job {
      private final RestClient restClient;
      private final String downstream;

      Job(RestClient restClient, String downstream) {
        this.restClient = restClient;
        this.downstream = downstream;
      }

      private final java.util.concurrent.atomic.AtomicInteger runs =
          new java.util.concurrent.atomic.AtomicInteger();

      @Scheduled(initialDelay = 100)
      public void once() {
        restClient.get().uri(downstream + "/scheduled-once").retrieve().body(String.class);
      }

      @Scheduled(fixedDelay = 50)
      public void every() {
        int run = runs.incrementAndGet();
        if (run <= 3) {
          restClient
              .get()
              .uri(downstream + "/scheduled-every-" + run)
              .retrieve()
              .body(String.class);
        }
      }
    }

    @RestController
    public static class Calls {
      private final ObjectProvider<Job> job;

      public Calls(ObjectProvider<Job> job) {
        this.job = job;
      }

      @GetMapping("/touch")
      public String touch() {
        job.getObject();
        return "touched";
      }
    }
  }
}
