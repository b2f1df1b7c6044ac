package dev.meshaware.core.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.meshaware.core.config.ConfigSource;
import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.log.CapturedLog;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs that could make the mesh-mode decision wrong or make the gate hang: an annotations file
 * that is a FIFO or a device, an ambient pod whose annotations file predates istio-cni's
 * annotation, {@code startup.mode=always} with a native sidecar, a garbled listener table.
 */
class GateEdgeCasesTest {
  private final CapturedLog log = new CapturedLog();
  @TempDir Path dir;

  @AfterEach
  void reset() {
    log.close();
  }

  private GateResult gate(int apiPort, String tcp, String... keyValues) throws Exception {
    Map<String, String> properties = new HashMap<>();
    properties.put("meshaware.startup.timeout", "2s");
    for (int i = 0; i < keyValues.length; i += 2) {
      properties.put(keyValues[i], keyValues[i + 1]);
    }
    Map<String, String> env = new HashMap<>();
    env.put("KUBERNETES_SERVICE_HOST", "127.0.0.1");
    env.put("KUBERNETES_SERVICE_PORT", Integer.toString(apiPort));
    Path table = Files.writeString(dir.resolve("tcp"), tcp);
    return new ReadinessGate(
            MeshawareSettings.load(ConfigSource.of(properties, env)),
            HostResolver.system(),
            new PodNetwork(table))
        .await();
  }

  private static String listening(int... ports) {
    StringBuilder table =
        new StringBuilder("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when\n");
    for (int port : ports) {
      table.append(
          String.format(
              "   0: 00000000:%04X 00000000:0000 0A 00000000:00000000 00:00000000\n", port));
    }
    return table.toString();
  }

  /** A FIFO with no writer (or /dev/zero) at the annotations path hangs premain forever today. */
  @Test
  void anAnnotationsPathThatIsAFifoDoesNotHangTheGate() throws Exception {
    Path fifo = dir.resolve("annotations");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    try (ServerSocket api = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      GateResult result =
          assertTimeoutPreemptively(
              Duration.ofSeconds(5),
              () ->
                  gate(
                      api.getLocalPort(),
                      listening(),
                      "meshaware.startup.pod-annotations-file",
                      fifo.toString()));
      assertThat(result.verdict()).isEqualTo(GateResult.Verdict.NO_SIDECAR);
    }
  }

  /**
   * istio-cni writes ambient.istio.io/redirection during the pod's CNI ADD, after the kubelet
   * mounted the downward-API volume: the file can lack it while ztunnel's 15008 already listens.
   * "No mesh key in the annotations" must not override a mesh the listeners show.
   */
  @Test
  void annotationsWithoutAMeshKeyDoNotOverrideZtunnelListening() throws Exception {
    Path file = Files.writeString(dir.resolve("annotations"), "app=\"x\"\n");
    try (ServerSocket api = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      GateResult result =
          gate(
              api.getLocalPort(),
              listening(15001, 15006, 15008),
              "meshaware.startup.pod-annotations-file",
              file.toString());
      assertThat(result.mesh().mode()).isEqualTo(MeshMode.ISTIO_AMBIENT);
    }
  }

  /**
   * startup.mode=always drops what the annotations say: a native-sidecar pod becomes
   * possible-sidecar (Istio, proxy container), so a finished Job POSTs /quitquitquit to a native
   * sidecar, which the README's table says never happens.
   */
  @Test
  void startupModeAlwaysKeepsTheModeTheAnnotationsTell() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("annotations"),
            "sidecar.istio.io/status=\"{\\\"initContainers\\\":[\\\"istio-validation\\\","
                + "\\\"istio-proxy\\\"],\\\"containers\\\":null}\"\n");
    try (ServerSocket api = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      GateResult result =
          gate(
              api.getLocalPort(),
              listening(),
              "meshaware.startup.mode",
              "always",
              "meshaware.startup.timeout",
              "200ms",
              "meshaware.startup.pod-annotations-file",
              file.toString());
      assertThat(result.mesh().mode()).isEqualTo(MeshMode.ISTIO_NATIVE_SIDECAR);
    }
  }

  /** One garbled line hides every listener after it (the catch is outside the line loop). */
  @Test
  void oneGarbledLineDoesNotHideTheRestOfTheListenerTable() throws Exception {
    Path table =
        Files.writeString(
            dir.resolve("tcp"),
            "  sl  local_address rem_address   st\n"
                + "   0: 00000000:ZZZZ 00000000:0000 0A\n"
                + "   1: 00000000:3AAC 00000000:0000 0A 00000000:00000000\n");
    assertThat(new PodNetwork(table).listeningPorts()).contains(15020);
  }
}
