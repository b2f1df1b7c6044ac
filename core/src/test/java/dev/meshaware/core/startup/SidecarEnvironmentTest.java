package dev.meshaware.core.startup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.config.ConfigSource;
import dev.meshaware.core.config.MeshawareSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rule the bind check and the shutdown share with the gate's auto mode. */
class SidecarEnvironmentTest {
  private static final Map<String, String> POD = Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1");

  private static MeshawareSettings settings(
      Map<String, String> properties, Map<String, String> env) {
    return MeshawareSettings.load(ConfigSource.of(properties, env));
  }

  private static GateResult gate(GateResult.Verdict verdict) {
    return new GateResult(verdict, Duration.ZERO, false, "");
  }

  @Test
  void whatTheGateFoundWins() {
    MeshawareSettings laptop = settings(Map.of(), Map.of());
    MeshawareSettings pod = settings(Map.of(), POD);
    assertThat(SidecarEnvironment.mayHaveSidecar(laptop, gate(GateResult.Verdict.READY))).isTrue();
    assertThat(SidecarEnvironment.mayHaveSidecar(laptop, gate(GateResult.Verdict.TIMED_OUT)))
        .isTrue();
    assertThat(SidecarEnvironment.mayHaveSidecar(pod, gate(GateResult.Verdict.NO_SIDECAR)))
        .isFalse();
  }

  @Test
  void withoutTheGateAnyPodMayHaveOneAndNothingElseCan() {
    assertThat(SidecarEnvironment.mayHaveSidecar(settings(Map.of(), POD), null)).isTrue();
    assertThat(
            SidecarEnvironment.mayHaveSidecar(
                settings(Map.of(), POD), gate(GateResult.Verdict.SKIPPED)))
        .isTrue();
    assertThat(SidecarEnvironment.mayHaveSidecar(settings(Map.of(), Map.of()), null)).isFalse();
  }

  @Test
  void podAnnotationsGiveTheExactAnswer(@TempDir Path dir) throws Exception {
    Path with = Files.writeString(dir.resolve("with"), "sidecar.istio.io/status=\"{}\"\n");
    Path without = Files.writeString(dir.resolve("without"), "app=\"demo\"\n");
    String key = "meshaware.startup.pod-annotations-file";
    assertThat(SidecarEnvironment.mayHaveSidecar(settings(Map.of(key, with.toString()), POD), null))
        .isTrue();
    assertThat(
            SidecarEnvironment.mayHaveSidecar(settings(Map.of(key, without.toString()), POD), null))
        .isFalse();
    assertThat(
            SidecarEnvironment.mayHaveSidecar(
                settings(Map.of(key, dir.resolve("missing").toString()), POD), null))
        .as("unreadable: could be")
        .isTrue();
  }
}
