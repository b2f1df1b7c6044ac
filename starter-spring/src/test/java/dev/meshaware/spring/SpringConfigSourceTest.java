package dev.meshaware.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.config.ConfigSource;
import dev.meshaware.core.config.MeshawareKeys;
import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.log.CapturedLog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Core reads the agent's keys from Spring's environment, in every form Spring accepts them. */
class SpringConfigSourceTest {

  private static StandardEnvironment environment(
      Map<String, Object> properties, Map<String, Object> variables) {
    StandardEnvironment environment = new StandardEnvironment();
    environment
        .getPropertySources()
        .replace(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
            new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
    environment.getPropertySources().addFirst(new MapPropertySource("application", properties));
    ConfigurationPropertySources.attach(environment);
    return environment;
  }

  @Test
  void readsTheAgentsEnvironmentVariableNames() {
    SpringConfigSource source =
        new SpringConfigSource(
            environment(
                Map.of(),
                Map.of("MESHAWARE_STARTUP_NO_SIDECAR_AFTER", "2s", "MESHAWARE_DEBUG", "true")));

    MeshawareSettings settings = MeshawareSettings.load(source);

    assertThat(settings.get(MeshawareKeys.STARTUP_NO_SIDECAR_AFTER))
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.get(MeshawareKeys.DEBUG)).isTrue();
  }

  @Test
  void readsYamlListsAsCoresCommaSeparatedText() {
    SpringConfigSource source =
        new SpringConfigSource(
            environment(
                Map.of(
                    "meshaware.propagation.extra-headers[0]", "end-user",
                    "meshaware.propagation.extra-headers[1]", "x-tenant"),
                Map.of()));

    assertThat(source.lookup("meshaware.propagation.extra-headers").get().text())
        .isEqualTo("end-user,x-tenant");
    assertThat(MeshawareSettings.load(source).get(MeshawareKeys.PROPAGATION_EXTRA_HEADERS))
        .isEqualTo(List.of("end-user", "x-tenant"));
  }

  @Test
  void badValueIsReportedOnceWithWhereItCameFromAndTheDefaultIsUsed() {
    SpringConfigSource source =
        new SpringConfigSource(environment(Map.of("meshaware.startup.timeout", "soon"), Map.of()));

    try (CapturedLog log = new CapturedLog()) {
      MeshawareSettings settings = MeshawareSettings.load(source);

      assertThat(settings.get(MeshawareKeys.STARTUP_TIMEOUT)).isEqualTo(Duration.ofSeconds(60));
      assertThat(log.lines())
          .singleElement()
          .asString()
          .contains("meshaware.startup.timeout='soon'", "application", "using the default '60s'");
    }
  }

  @Test
  void processFactsComeFromTheEnvironmentVariablesOnly() {
    ConfigSource inPod =
        new SpringConfigSource(
            environment(Map.of(), Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1")));
    ConfigSource claimed =
        new SpringConfigSource(
            environment(Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1"), Map.of()));

    assertThat(inPod.environment("KUBERNETES_SERVICE_HOST")).isEqualTo("127.0.0.1");
    assertThat(claimed.environment("KUBERNETES_SERVICE_HOST")).isNull();
  }
}
