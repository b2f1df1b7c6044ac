package dev.meshaware.spring.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.spring.testing.Carried;
import dev.meshaware.spring.testing.Downstream;
import dev.meshaware.spring.testing.RunningApp;
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
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * Review: "{@code @Scheduled} never" carries headers is told by a {@code ScheduledTaskRegistrar}
 * frame within 16 frames of the decoration. The application wraps Boot's {@code
 * ThreadPoolTaskScheduler} in a Spring AOP proxy (a timing interceptor and a logging interceptor,
 * as metrics/observability code does): the registrar is now deeper than 16 frames. A {@code @Lazy}
 * bean's one-time {@code @Scheduled(initialDelay = ...)} method, scheduled while a request first
 * touches the bean, is then a plain one-shot and carries that request's headers.
 */
class ProxiedSchedulerLazyScheduledTest {

  @Test
  void aLazyBeansOneTimeScheduledMethodCarriesNoRequestThroughAProxiedScheduler() throws Exception {
    try (Downstream downstream = new Downstream();
        RunningApp app = Carried.start(WebApplicationType.SERVLET, App.class, downstream)) {
      assertThat(app.context().getBean(TaskScheduler.class).getClass().getName())
          .contains("SpringCGLIB");
      assertThat(app.get("/touch", Carried.headers("rid-touch")).body()).isEqualTo("touched");
      Carried.check(downstream, "/scheduled-once", null);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @EnableScheduling
  @Import(App.Calls.class)
  static class App {
    static final AtomicInteger CALLS = new AtomicInteger();

    /** Times and logs every call to the scheduler, as an application's metrics code might. */
    @Bean
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

      @Scheduled(initialDelay = 100)
      public void once() {
        restClient.get().uri(downstream + "/scheduled-once").retrieve().body(String.class);
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
