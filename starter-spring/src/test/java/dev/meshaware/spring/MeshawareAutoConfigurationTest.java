package dev.meshaware.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.config.MeshawareKeys;
import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.config.Setting;
import dev.meshaware.core.propagation.TopicGlobs;
import dev.meshaware.spring.actuate.MeshawareEndpoint;
import dev.meshaware.spring.actuate.MeshawareEndpointAutoConfiguration;
import dev.meshaware.spring.actuate.SidecarHealthAutoConfiguration;
import dev.meshaware.spring.propagation.ClientPropagationAutoConfiguration;
import dev.meshaware.spring.propagation.HeaderContext;
import dev.meshaware.spring.propagation.HeaderForwardingFilterFunction;
import dev.meshaware.spring.propagation.HeaderForwardingInterceptor;
import dev.meshaware.spring.propagation.HeaderForwardingTaskDecorator;
import dev.meshaware.spring.propagation.OkHttpHeaderInterceptor;
import dev.meshaware.spring.propagation.PropagationAutoConfiguration;
import dev.meshaware.spring.propagation.RequestHeaders;
import dev.meshaware.spring.propagation.ServerPropagationAutoConfiguration;
import dev.meshaware.spring.propagation.TaskPropagationAutoConfiguration;
import dev.meshaware.spring.testing.BootTypes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskDecorator;

/**
 * The auto-configurations' conditions: defaults, every key, back-off to the application's beans,
 * libraries absent, and off.
 */
class MeshawareAutoConfigurationTest {
  private final WebApplicationContextRunner runner =
      new WebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  MeshawareAutoConfiguration.class,
                  PropagationAutoConfiguration.class,
                  ServerPropagationAutoConfiguration.class,
                  ClientPropagationAutoConfiguration.class,
                  TaskPropagationAutoConfiguration.class,
                  MeshawareEndpointAutoConfiguration.class,
                  SidecarHealthAutoConfiguration.class));

  /** A valid value other than the default, for every key core has. */
  private static final Map<Setting<?>, String> NON_DEFAULTS = new LinkedHashMap<>();

  static {
    NON_DEFAULTS.put(MeshawareKeys.ENABLED, "TRUE");
    NON_DEFAULTS.put(MeshawareKeys.DEBUG, "true");
    NON_DEFAULTS.put(MeshawareKeys.MESH, "Linkerd");
    NON_DEFAULTS.put(MeshawareKeys.STARTUP_MODE, "always");
    NON_DEFAULTS.put(MeshawareKeys.STARTUP_READY_URL, "http://127.0.0.1:15021/healthz/ready");
    NON_DEFAULTS.put(MeshawareKeys.STARTUP_TIMEOUT, "1.5s");
    NON_DEFAULTS.put(MeshawareKeys.STARTUP_ON_TIMEOUT, "exit");
    NON_DEFAULTS.put(MeshawareKeys.STARTUP_POLL_INTERVAL, "100ms");
    NON_DEFAULTS.put(MeshawareKeys.STARTUP_NO_SIDECAR_AFTER, "2s");
    NON_DEFAULTS.put(MeshawareKeys.STARTUP_POD_ANNOTATIONS_FILE, "/etc/podinfo/annotations");
    NON_DEFAULTS.put(MeshawareKeys.PROPAGATION_ENABLED, "true");
    NON_DEFAULTS.put(MeshawareKeys.PROPAGATION_EXTRA_HEADERS, "end-user,x-tenant");
    NON_DEFAULTS.put(MeshawareKeys.PROPAGATION_EXCLUDE_HOSTS, "*.googleapis.com");
    NON_DEFAULTS.put(MeshawareKeys.PROPAGATION_EXCLUDE_TOPICS, "audit-log,partner.*");
    NON_DEFAULTS.put(MeshawareKeys.PROPAGATION_PERIODIC, "inherit");
    NON_DEFAULTS.put(MeshawareKeys.BIND_CHECK, "fail");
    NON_DEFAULTS.put(MeshawareKeys.BIND_ALLOW_LOOPBACK_PORTS, "8081,9090");
    NON_DEFAULTS.put(MeshawareKeys.BIND_SIDECAR_IDLE_TIMEOUT, "90s");
    NON_DEFAULTS.put(MeshawareKeys.SHUTDOWN_DELAY, "2s");
    NON_DEFAULTS.put(MeshawareKeys.SHUTDOWN_DRAIN_TIMEOUT, "500ms");
    NON_DEFAULTS.put(MeshawareKeys.SHUTDOWN_QUIT_PROXY, "never");
    NON_DEFAULTS.put(MeshawareKeys.SHUTDOWN_QUIT_URL, "http://127.0.0.1:15000/quitquitquit");
    NON_DEFAULTS.put(MeshawareKeys.DIAGNOSTICS_ENABLED, "false");
    NON_DEFAULTS.put(MeshawareKeys.DIAGNOSTICS_REPEAT_INTERVAL, "30s");
    NON_DEFAULTS.put(MeshawareKeys.REPORT_ENABLED, "false");
    NON_DEFAULTS.put(MeshawareKeys.REPORT_DELAY, "5s");
  }

  @Test
  void defaultsAreCoresAndEveryPieceIsThere() {
    runner.run(
        context -> {
          MeshawareSettings settings = context.getBean(MeshawareSettings.class);
          for (Setting<?> setting : MeshawareKeys.ALL) {
            assertThat((Object) settings.get(setting))
                .as(setting.key())
                .isEqualTo(setting.parse(setting.defaultText()));
          }
          assertThat(context)
              .hasSingleBean(RequestHeaders.class)
              .hasSingleBean(HeaderForwardingInterceptor.class)
              .hasSingleBean(HeaderForwardingFilterFunction.class)
              .doesNotHaveBean(HeaderForwardingTaskDecorator.class)
              .hasBean("meshawareExecutorDecorating")
              .hasSingleBean(OkHttpHeaderInterceptor.class)
              .hasSingleBean(HeaderContext.class)
              .hasBean("meshawareHeaderCaptureFilter")
              .hasBean("meshawareRestTemplateCustomizer")
              .hasBean("meshawareRestClientCustomizer")
              .hasBean("meshawareWebClientCustomizer")
              .hasBean("sidecarHealthIndicator");
          assertThat(context.getBean("meshawareRestTemplateCustomizer"))
              .isInstanceOf(BootTypes.restTemplateCustomizer());
          assertThat(context.getBean("meshawareRestClientCustomizer"))
              .isInstanceOf(BootTypes.restClientCustomizer());
          assertThat(context.getBean("meshawareWebClientCustomizer"))
              .isInstanceOf(BootTypes.webClientCustomizer());
          assertThat(context.getBean("sidecarHealthIndicator"))
              .isInstanceOf(BootTypes.healthIndicator());
          // Exposed only when the application asks for it.
          assertThat(context).doesNotHaveBean(MeshawareEndpoint.class);
        });
  }

  @Test
  void everyKeyIsReadByCoreFromSpringProperties() {
    assertThat(NON_DEFAULTS.keySet()).as("a value for every key").containsAll(MeshawareKeys.ALL);
    List<String> pairs = new ArrayList<>();
    NON_DEFAULTS.forEach((setting, text) -> pairs.add(setting.key() + "=" + text));
    runner
        .withPropertyValues(pairs.toArray(new String[0]))
        .run(
            context -> {
              MeshawareSettings settings = context.getBean(MeshawareSettings.class);
              NON_DEFAULTS.forEach(
                  (setting, text) -> {
                    assertThat(settings.isExplicit(setting)).as(setting.key()).isTrue();
                    Object expected = setting.parse(text);
                    if (expected instanceof TopicGlobs) {
                      // Core's TopicGlobs has no equals (HostGlobs has): compare what it says.
                      assertThat((Object) settings.get(setting))
                          .as(setting.key())
                          .hasToString(expected.toString());
                    } else {
                      assertThat((Object) settings.get(setting))
                          .as(setting.key())
                          .isEqualTo(expected);
                    }
                  });
            });
  }

  @Test
  void backsOffToTheApplicationsBeans() {
    runner
        .withUserConfiguration(ApplicationBeans.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(HeaderForwardingInterceptor.class);
              assertThat(context.getBean(HeaderForwardingInterceptor.class))
                  .isSameAs(context.getBean(ApplicationBeans.class).interceptor);
              assertThat(context)
                  .doesNotHaveBean(HeaderForwardingTaskDecorator.class)
                  .hasSingleBean(TaskDecorator.class);
            });
  }

  @Test
  void absentLibrariesGetNothing() {
    runner
        .withClassLoader(
            new FilteredClassLoader(
                OkHttpClient.class.getPackageName(),
                "io.opentelemetry",
                "org.springframework.web.reactive",
                "org.springframework.boot.actuate",
                "org.springframework.boot.health"))
        .withPropertyValues("management.endpoints.web.exposure.include=meshaware")
        .run(
            context ->
                assertThat(context)
                    .hasSingleBean(HeaderForwardingInterceptor.class)
                    .doesNotHaveBean(OkHttpHeaderInterceptor.class)
                    .doesNotHaveBean(HeaderContext.class)
                    .doesNotHaveBean(HeaderForwardingFilterFunction.class)
                    .doesNotHaveBean("meshawareWebClientCustomizer")
                    .doesNotHaveBean("sidecarHealthIndicator")
                    .doesNotHaveBean(MeshawareEndpoint.class));
  }

  @Test
  void disabledMeansNoMeshawareBeanAtAll() {
    runner
        .withPropertyValues("meshaware.enabled=false")
        .run(context -> assertThat(meshawareBeans(context)).isEmpty());
  }

  @Test
  void propagationOffKeepsTheRest() {
    runner
        .withPropertyValues(
            "meshaware.propagation.enabled=false",
            "management.endpoints.web.exposure.include=meshaware")
        .run(
            context ->
                assertThat(context)
                    .doesNotHaveBean(RequestHeaders.class)
                    .doesNotHaveBean(HeaderForwardingInterceptor.class)
                    .doesNotHaveBean("meshawareHeaderCaptureFilter")
                    .hasSingleBean(MeshawareSettings.class)
                    .hasSingleBean(MeshawareEndpoint.class));
  }

  private static List<String> meshawareBeans(ApplicationContext context) {
    List<String> found = new ArrayList<>();
    for (String name : context.getBeanDefinitionNames()) {
      Class<?> type = context.getType(name);
      if (name.startsWith("meshaware")
          || name.equals("sidecarHealthIndicator")
          || (type != null && type.getName().startsWith("dev.meshaware"))) {
        found.add(name);
      }
    }
    return found;
  }

  @Configuration(proxyBeanMethods = false)
  static class ApplicationBeans {
    final HeaderForwardingInterceptor interceptor =
        new HeaderForwardingInterceptor(new RequestHeaders(List.of()));

    @Bean
    HeaderForwardingInterceptor myInterceptor() {
      return interceptor;
    }

    @Bean
    TaskDecorator myTaskDecorator() {
      return task -> task;
    }
  }
}
