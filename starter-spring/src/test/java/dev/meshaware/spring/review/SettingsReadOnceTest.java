package dev.meshaware.spring.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.spring.MeshawareAutoConfiguration;
import dev.meshaware.spring.shutdown.ShutdownAutoConfiguration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

/**
 * Review 16b: a bad value (meshaware.shutdown.delay=abc) is reported once, naming the key and the
 * accepted form, however the context is made; and an application's own bean named
 * meshawareSettings.
 */
@ExtendWith(OutputCaptureExtension.class)
class SettingsReadOnceTest {
  private static final String BAD = "meshaware.shutdown.delay='abc'";

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration({MeshawareAutoConfiguration.class, ShutdownAutoConfiguration.class})
  static class Plain {}

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class OwnSettingsBean {
    @Bean
    String meshawareSettings() {
      return "mine";
    }
  }

  private static int count(CapturedOutput output, String text) {
    Matcher m = Pattern.compile(Pattern.quote(text)).matcher(output.getAll());
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  @Test
  void springApplicationWarnsOnce(CapturedOutput output) {
    try (ConfigurableApplicationContext context =
        new SpringApplicationBuilder(App.class)
            .web(WebApplicationType.NONE)
            .properties("meshaware.shutdown.delay=abc", "meshaware.startup.enabled=false")
            .run()) {
      assertThat(count(output, BAD)).as(output.getAll()).isEqualTo(1);
      assertThat(output.getAll()).contains("accepted:");
    }
  }

  @Test
  void contextWithoutSpringApplicationWarnsOnce(CapturedOutput output) {
    try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
      context
          .getEnvironment()
          .getPropertySources()
          .addFirst(
              new MapPropertySource(
                  "test", Map.of("meshaware.shutdown.delay", "abc", "meshaware.enabled", "true")));
      context.register(Plain.class);
      context.refresh();
      assertThat(context.getBean(MeshawareSettings.class)).isNotNull();
      assertThat(count(output, BAD)).as(output.getAll()).isEqualTo(1);
    }
  }

  @Test
  void disabledDoesNotWarnAboutOtherKeys(CapturedOutput output) {
    try (ConfigurableApplicationContext context =
        new SpringApplicationBuilder(App.class)
            .web(WebApplicationType.NONE)
            .properties("meshaware.enabled=false", "meshaware.shutdown.delay=abc")
            .run()) {
      System.out.println("REVIEW disabled, warnings: " + count(output, BAD));
      assertThat(count(output, BAD)).as(output.getAll()).isLessThanOrEqualTo(1);
    }
  }

  @Test
  void parentAndChildHoldTheShutdownDelayOnce(CapturedOutput output) {
    ConfigurableApplicationContext child =
        new SpringApplicationBuilder(App.class)
            .web(WebApplicationType.NONE)
            .properties("meshaware.shutdown.delay=1s", "meshaware.startup.enabled=false")
            .child(App.class)
            .web(WebApplicationType.NONE)
            .run();
    long begun = System.nanoTime();
    child.close(); // as Boot's shutdown hook does: the child, then its parent
    ((ConfigurableApplicationContext) child.getParent()).close();
    long millis = (System.nanoTime() - begun) / 1_000_000;
    System.out.println(
        "REVIEW parent+child close took "
            + millis
            + "ms, delay lines: "
            + count(output, "the application keeps serving for"));
    assertThat(count(output, "the application keeps serving for")).isEqualTo(1);
  }
}
