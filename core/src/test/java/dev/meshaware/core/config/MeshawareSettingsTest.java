package dev.meshaware.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.bind.BindCheckMode;
import dev.meshaware.core.log.CapturedLog;
import dev.meshaware.core.shutdown.WhenToQuit;
import dev.meshaware.core.startup.OnTimeout;
import dev.meshaware.core.startup.StartupMode;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MeshawareSettingsTest {

  @Test
  void usesDefaultsWhenNothingIsSet() {
    try (CapturedLog log = new CapturedLog()) {
      MeshawareSettings settings = MeshawareSettings.load(ConfigSource.of(Map.of(), Map.of()));
      assertThat(settings.get(MeshawareKeys.ENABLED)).isTrue();
      assertThat(settings.get(MeshawareKeys.STARTUP_MODE)).isEqualTo(StartupMode.AUTO);
      assertThat(settings.get(MeshawareKeys.STARTUP_TIMEOUT)).isEqualTo(Duration.ofSeconds(60));
      assertThat(settings.get(MeshawareKeys.STARTUP_ON_TIMEOUT)).isEqualTo(OnTimeout.CONTINUE);
      assertThat(settings.get(MeshawareKeys.STARTUP_READY_URL))
          .extracting(Object::toString)
          .containsExactly("http://127.0.0.1:15020/healthz/ready");
      assertThat(settings.isExplicit(MeshawareKeys.STARTUP_TIMEOUT)).isFalse();
      assertThat(log.lines()).isEmpty();
    }
  }

  @Test
  void systemPropertyWinsOverEnvironmentWhichWinsOverDefault() {
    MeshawareSettings both =
        MeshawareSettings.load(
            ConfigSource.of(
                Map.of("meshaware.startup.timeout", "5s"),
                Map.of(
                    "MESHAWARE_STARTUP_TIMEOUT", "7s", "MESHAWARE_STARTUP_POLL_INTERVAL", "1s")));
    assertThat(both.get(MeshawareKeys.STARTUP_TIMEOUT)).isEqualTo(Duration.ofSeconds(5));
    assertThat(both.get(MeshawareKeys.STARTUP_POLL_INTERVAL)).isEqualTo(Duration.ofSeconds(1));
    assertThat(both.isExplicit(MeshawareKeys.STARTUP_POLL_INTERVAL)).isTrue();
  }

  @Test
  void readsChoicesInAnyCase() {
    MeshawareSettings settings =
        MeshawareSettings.load(
            ConfigSource.of(
                Map.of("meshaware.startup.mode", "ALWAYS", "meshaware.startup.on-timeout", "Exit"),
                Map.of("MESHAWARE_ENABLED", "FALSE")));
    assertThat(settings.get(MeshawareKeys.STARTUP_MODE)).isEqualTo(StartupMode.ALWAYS);
    assertThat(settings.get(MeshawareKeys.STARTUP_ON_TIMEOUT)).isEqualTo(OnTimeout.EXIT);
    assertThat(settings.get(MeshawareKeys.ENABLED)).isFalse();
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of("meshaware.enabled", "yes please"),
        Arguments.of("meshaware.mesh", "consul"),
        Arguments.of("meshaware.startup.mode", "sometimes"),
        Arguments.of("meshaware.startup.ready-url", "https://127.0.0.1:15020/healthz/ready"),
        Arguments.of("meshaware.startup.timeout", "forever"),
        Arguments.of("meshaware.startup.on-timeout", "panic"),
        Arguments.of("meshaware.startup.poll-interval", "1ms"),
        Arguments.of("meshaware.startup.no-sidecar-after", "-1s"),
        Arguments.of("meshaware.startup.pod-annotations-file", "/etc/pod\u0000info"),
        Arguments.of("meshaware.debug", "loud"),
        Arguments.of("meshaware.propagation.enabled", "yes"),
        Arguments.of("meshaware.propagation.extra-headers", "end user"),
        // exclude-hosts keeps its usable entries and reports each other one (HeaderPolicyTest):
        // falling back to the empty default would send headers to every host it names.
        // exclude-topics likewise (anExcludeTopicsListWithBadEntriesKeepsItsUsableOnes).
        Arguments.of("meshaware.propagation.periodic", "sometimes"),
        Arguments.of("meshaware.bind.check", "strict"),
        Arguments.of("meshaware.bind.allow-loopback-ports", "8081,admin"),
        Arguments.of("meshaware.bind.sidecar-idle-timeout", "an hour"),
        Arguments.of("meshaware.shutdown.delay", "2 minutes"),
        Arguments.of("meshaware.shutdown.drain-timeout", "-5s"),
        Arguments.of("meshaware.shutdown.quit-proxy", "maybe"),
        Arguments.of("meshaware.shutdown.quit-url", "127.0.0.1:15020/quitquitquit"),
        Arguments.of("meshaware.diagnostics.enabled", "maybe"),
        Arguments.of("meshaware.diagnostics.repeat-interval", "500ms"),
        Arguments.of("meshaware.report.enabled", "on"),
        Arguments.of("meshaware.report.delay", "2h"));
  }

  @ParameterizedTest
  @MethodSource("badValues")
  void reportsABadValueByKeyValueAndAcceptedFormThenUsesTheDefault(String key, String bad) {
    Setting<?> setting =
        MeshawareKeys.ALL.stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow();
    try (CapturedLog log = new CapturedLog()) {
      MeshawareSettings settings =
          MeshawareSettings.load(ConfigSource.of(Map.of(), Map.of(setting.environmentName(), bad)));
      assertThat(settings.get(setting)).isEqualTo(setting.parse(setting.defaultText()));
      assertThat(log.lines()).hasSize(1);
      assertThat(log.lines().get(0))
          .startsWith("[meshaware] WARNING " + key + "=")
          .contains("from env " + setting.environmentName())
          .contains("accepted: " + setting.acceptedForm())
          .contains("using the default '" + setting.defaultText() + "'")
          .doesNotContain("\u0000");
    }
  }

  @Test
  void readsTheBindAndShutdownKeys() {
    MeshawareSettings settings =
        MeshawareSettings.load(
            ConfigSource.of(
                Map.of(
                    "meshaware.bind.check", "FAIL",
                    "meshaware.bind.allow-loopback-ports", " 9090, 8081,,9090",
                    "meshaware.shutdown.delay", "1.5s",
                    "meshaware.shutdown.quit-url", "http://127.0.0.1:15000/quitquitquit"),
                Map.of("MESHAWARE_SHUTDOWN_QUIT_PROXY", "never")));
    assertThat(settings.get(MeshawareKeys.BIND_CHECK)).isEqualTo(BindCheckMode.FAIL);
    assertThat(settings.get(MeshawareKeys.BIND_ALLOW_LOOPBACK_PORTS)).containsExactly(8081, 9090);
    assertThat(settings.get(MeshawareKeys.SHUTDOWN_DELAY)).isEqualTo(Duration.ofMillis(1500));
    assertThat(settings.get(MeshawareKeys.SHUTDOWN_DRAIN_TIMEOUT)).isEqualTo(Duration.ofSeconds(1));
    assertThat(settings.get(MeshawareKeys.SHUTDOWN_QUIT_PROXY)).isEqualTo(WhenToQuit.NEVER);
    assertThat(settings.get(MeshawareKeys.SHUTDOWN_QUIT_URL).port()).isEqualTo(15000);
  }

  @Test
  void rejectsPortsOutsideTheRange() {
    Setting<?> ports = MeshawareKeys.BIND_ALLOW_LOOPBACK_PORTS;
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> ports.parse("0"));
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> ports.parse("65536"));
  }

  @Test
  void everyKeyHasABadValueCase() {
    assertThat(badValues().map(arguments -> (String) arguments.get()[0]))
        .containsExactlyInAnyOrderElementsOf(
            MeshawareKeys.ALL.stream()
                .filter(
                    setting ->
                        setting != MeshawareKeys.PROPAGATION_EXCLUDE_HOSTS
                            && setting != MeshawareKeys.PROPAGATION_EXCLUDE_TOPICS)
                .map(Setting::key)
                .collect(java.util.stream.Collectors.toList()));
  }

  @Test
  void anExcludeHostsListWithBadEntriesKeepsItsUsableOnesInsteadOfTheEmptyDefault() {
    try (CapturedLog log = new CapturedLog()) {
      MeshawareSettings settings =
          MeshawareSettings.load(
              ConfigSource.of(
                  Map.of(), Map.of("MESHAWARE_PROPAGATION_EXCLUDE_HOSTS", "a b,*.ok.com")));
      assertThat(settings.get(MeshawareKeys.PROPAGATION_EXCLUDE_HOSTS)).hasToString("*.ok.com");
      assertThat(log.lines()).as("reported where the policy is made, once").isEmpty();
    }
  }

  @Test
  void anExcludeTopicsListWithAnUnreadableEntryExcludesEveryTopicAndSaysSo() {
    try (CapturedLog log = new CapturedLog()) {
      MeshawareSettings settings =
          MeshawareSettings.load(
              ConfigSource.of(
                  Map.of(), Map.of("MESHAWARE_PROPAGATION_EXCLUDE_TOPICS", "a b,audit,ext.*")));
      assertThat(settings.get(MeshawareKeys.PROPAGATION_EXCLUDE_TOPICS))
          .hasToString("audit,ext.* (every topic: an entry is unreadable)");
      assertThat(log.lines()).as("reported where the policy is made, once").isEmpty();
      dev.meshaware.core.propagation.HeaderPolicy.from(settings);
      assertThat(log.lines())
          .containsExactly(
              "[meshaware] WARNING meshaware.propagation.exclude-topics: 'a b' has ' ', which no"
                  + " topic name can hold; no record gets headers until it is fixed (accepted: "
                  + dev.meshaware.core.propagation.TopicGlobs.ACCEPTED_FORM
                  + ")");
    }
  }

  @Test
  void everyKeyHasAnEnvironmentNameAndAValidDefault() {
    for (Setting<?> setting : MeshawareKeys.ALL) {
      assertThat(setting.key()).startsWith("meshaware.");
      assertThat(setting.environmentName()).matches("MESHAWARE_[A-Z_]+");
      assertThat(setting.description()).isNotBlank();
    }
    assertThat(MeshawareKeys.STARTUP_READY_URL.environmentName())
        .isEqualTo("MESHAWARE_STARTUP_READY_URL");
  }
}
