package dev.meshaware.core.startup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.config.ConfigSource;
import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.log.CapturedLog;
import dev.meshaware.core.testing.FakeSidecar;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate's mesh modes: what the annotations file, the pod's listeners and the traffic redirection
 * each decide, and what the user's {@code meshaware.mesh} makes of them. The "Kubernetes API" is a
 * loopback socket of this test; the listener table a file of its own.
 */
class MeshModesTest {
  private static final String ANNOTATIONS = "meshaware.startup.pod-annotations-file";
  private static FakeSidecar sidecar;
  private static ServerSocket apiServer;
  private final CapturedLog log = new CapturedLog();
  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    sidecar = new FakeSidecar();
    apiServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
  }

  @AfterAll
  static void stop() throws Exception {
    sidecar.close();
    apiServer.close();
  }

  @AfterEach
  void reset() {
    sidecar.reset();
    log.close();
  }

  /**
   * A gate in a pod whose API Service is at {@code apiPort} and whose listeners are {@code tcp}.
   */
  private GateResult gate(String apiPort, String tcp, String... keyValues) throws Exception {
    Map<String, String> properties = new HashMap<>();
    properties.put("meshaware.startup.ready-url", sidecar.readyUrl());
    properties.put("meshaware.startup.timeout", "3s");
    for (int i = 0; i < keyValues.length; i += 2) {
      properties.put(keyValues[i], keyValues[i + 1]);
    }
    Map<String, String> env = new HashMap<>();
    env.put("KUBERNETES_SERVICE_HOST", "127.0.0.1");
    if (apiPort != null) {
      env.put("KUBERNETES_SERVICE_PORT", apiPort);
    }
    Path table = Files.writeString(dir.resolve("tcp"), tcp);
    return new ReadinessGate(
            MeshawareSettings.load(ConfigSource.of(properties, env)),
            HostResolver.system(),
            new PodNetwork(table))
        .await();
  }

  private static String listening(int... ports) {
    StringBuilder table =
        new StringBuilder(
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid\n");
    for (int port : ports) {
      table.append(
          String.format(
              "   0: 0100007F:%04X 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1337\n",
              port));
    }
    table.append(
        "   1: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000  1000\n");
    return table.toString();
  }

  private String annotations(String... lines) throws Exception {
    return Files.writeString(dir.resolve("annotations"), String.join("\n", lines) + "\n")
        .toString();
  }

  private static String api() {
    return Integer.toString(apiServer.getLocalPort());
  }

  @Test
  void noProxyPortAndTrafficNotRedirectedMeansNoMeshAtOnce() throws Exception {
    long start = System.nanoTime();
    GateResult result =
        gate(
            api(),
            listening(),
            "meshaware.startup.ready-url",
            "http://127.0.0.1:" + FakeSidecar.closedPort() + "/healthz/ready");
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(result.verdict()).isEqualTo(GateResult.Verdict.NO_SIDECAR);
    assertThat(result.mesh().mode()).isEqualTo(MeshMode.NONE);
    assertThat(result.mesh().evidence())
        .contains("no proxy port listens", "was accepted", "not turned to a proxy");
    assertThat(took).isLessThan(Duration.ofSeconds(2)); // no bounded wait (5 s); typically ~5 ms
    assertThat(log.lines()).singleElement().asString().contains("meshaware.mesh=istio");
  }

  @Test
  void aStatusPortThatAnswersMeansAProxyIsStartingSoTheGateWaitsForIt() throws Exception {
    sidecar.answer(503);
    Thread flip =
        new Thread(
            () -> {
              try {
                Thread.sleep(500);
              } catch (InterruptedException e) {
                return;
              }
              sidecar.answer(200);
            });
    flip.start();
    // Nothing listens at the API port: the connection is refused, as one turned to 15001 is.
    GateResult result =
        gate(
            Integer.toString(FakeSidecar.closedPort()),
            listening(),
            "meshaware.startup.no-sidecar-after",
            "100ms");
    flip.join();

    assertThat(result.verdict()).isEqualTo(GateResult.Verdict.READY);
    assertThat(result.waited()).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    assertThat(result.mesh().mode()).isEqualTo(MeshMode.POSSIBLE_SIDECAR);
    // The status port answered (503) before the network was asked: a proxy on its way.
    assertThat(result.mesh().evidence()).contains("answers, a proxy's status port in the pod");
  }

  @Test
  void trafficRedirectedToNothingMeansAProxyIsStartingSoTheGateWaitsForIt() throws Exception {
    int statusPort = FakeSidecar.closedPort();
    com.sun.net.httpserver.HttpServer[] proxy = new com.sun.net.httpserver.HttpServer[1];
    Thread later =
        new Thread(
            () -> {
              try {
                Thread.sleep(600);
                proxy[0] =
                    com.sun.net.httpserver.HttpServer.create(
                        new java.net.InetSocketAddress(
                            InetAddress.getLoopbackAddress(), statusPort),
                        10);
                proxy[0].createContext(
                    "/",
                    exchange -> {
                      exchange.sendResponseHeaders(200, -1);
                      exchange.close();
                    });
                proxy[0].start();
              } catch (Exception e) {
                // the test fails on its own
              }
            });
    later.start();
    // Nothing listens at the API port nor at the status port yet: refused, as a connection turned
    // to 15001 is before Envoy listens.
    GateResult result =
        gate(
            Integer.toString(FakeSidecar.closedPort()),
            listening(),
            "meshaware.startup.ready-url",
            "http://127.0.0.1:" + statusPort + "/healthz/ready",
            "meshaware.startup.no-sidecar-after",
            "100ms");
    later.join();
    if (proxy[0] != null) {
      proxy[0].stop(0);
    }

    assertThat(result.verdict()).as(log.lines().toString()).isEqualTo(GateResult.Verdict.READY);
    assertThat(result.waited()).isGreaterThanOrEqualTo(Duration.ofMillis(500));
    assertThat(result.mesh().evidence()).contains("was refused", "not up yet");
  }

  @Test
  void aRefusalThatEndsWithNoProxyPortOpenEndsTheWait() throws Exception {
    sidecar.answer(503);
    int port = FakeSidecar.closedPort();
    Thread later =
        new Thread(
            () -> {
              try {
                Thread.sleep(700);
                // Now the "API" accepts: whatever refused was not a proxy on its way.
                try (ServerSocket api =
                    new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
                  Thread.sleep(6000);
                }
              } catch (Exception e) {
                // the test fails on its own
              }
            });
    later.setDaemon(true);
    later.start();
    GateResult result =
        gate(
            Integer.toString(port),
            listening(),
            "meshaware.startup.timeout",
            "10s",
            "meshaware.startup.ready-url",
            "http://127.0.0.1:" + FakeSidecar.closedPort() + "/healthz/ready");

    assertThat(result.verdict())
        .as(log.lines().toString())
        .isEqualTo(GateResult.Verdict.NO_SIDECAR);
    assertThat(result.waited()).isLessThan(Duration.ofSeconds(8));
    assertThat(result.mesh().evidence()).contains("refused at first", "not a mesh's redirection");
  }

  @Test
  void linkerdsNativeSidecarSwitchIsReadAsLinkerdReadsIt() throws Exception {
    assertThat(PodAnnotations.goBool("TRUE")).isTrue();
    assertThat(PodAnnotations.goBool("1")).isTrue();
    assertThat(PodAnnotations.goBool("f")).isFalse();
    assertThat(PodAnnotations.goBool("yes")).isNull();
    sidecar.answer(200);
    String ignored =
        annotations(
            "config.linkerd.io/proxy-enable-native-sidecar=\"maybe\"",
            "notconfig.alpha.linkerd.io/proxy-enable-native-sidecar=\"true\"",
            "linkerd.io/proxy-version=\"stable-2.20.1\"");
    assertThat(gate(null, listening(), ANNOTATIONS, ignored).mesh().mode())
        .as("an unreadable value and a foreign key leave the version's default")
        .isEqualTo(MeshMode.LINKERD_NATIVE_SIDECAR);
    String off =
        annotations(
            "config.beta.linkerd.io/proxy-enable-native-sidecar=\"FALSE\"",
            "linkerd.io/proxy-version=\"stable-2.20.1\"");
    assertThat(gate(null, listening(), ANNOTATIONS, off).mesh().mode())
        .isEqualTo(MeshMode.LINKERD_SIDECAR);
  }

  @Test
  void listenersTellTheMesh() throws Exception {
    sidecar.answer(200);
    assertThat(gate(api(), listening(15021, 15090)).mesh().mode())
        .isEqualTo(MeshMode.ISTIO_SIDECAR);
    assertThat(gate(api(), listening(4143, 4191)).mesh().mode())
        .isEqualTo(MeshMode.LINKERD_SIDECAR);
    sidecar.reset();
    GateResult ambient = gate(api(), listening(15001, 15006, 15008));
    assertThat(ambient.verdict()).isEqualTo(GateResult.Verdict.NO_SIDECAR);
    assertThat(ambient.mesh().mode()).isEqualTo(MeshMode.ISTIO_AMBIENT);
    assertThat(ambient.waited()).isLessThan(Duration.ofMillis(500));
    sidecar.verifyNeverProbed();
  }

  @Test
  void annotationsTellTheModeExactly() throws Exception {
    sidecar.answer(200);
    String classic =
        annotations(
            "sidecar.istio.io/status=\"{\\\"initContainers\\\":[\\\"istio-init\\\"],"
                + "\\\"containers\\\":[\\\"istio-proxy\\\"],\\\"volumes\\\":null}\"");
    assertThat(gate(null, listening(), ANNOTATIONS, classic).mesh().mode())
        .isEqualTo(MeshMode.ISTIO_SIDECAR);
    String nativeSidecar =
        annotations(
            "kubectl.kubernetes.io/default-container=\"app\"",
            "sidecar.istio.io/status=\"{\\\"initContainers\\\":[\\\"istio-validation\\\","
                + "\\\"istio-proxy\\\"],\\\"containers\\\":null,\\\"revision\\\":\\\"default\\\"}\"");
    GateResult nativeResult = gate(null, listening(), ANNOTATIONS, nativeSidecar);
    assertThat(nativeResult.verdict()).isEqualTo(GateResult.Verdict.READY);
    assertThat(nativeResult.mesh().mode()).isEqualTo(MeshMode.ISTIO_NATIVE_SIDECAR);
    assertThat(nativeResult.mesh().evidence()).contains("init container");
    String linkerd =
        annotations(
            "linkerd.io/created-by=\"linkerd/proxy-injector stable-2.14.10\"",
            "linkerd.io/proxy-version=\"stable-2.14.10\"");
    assertThat(gate(null, listening(), ANNOTATIONS, linkerd).mesh().mode())
        .isEqualTo(MeshMode.LINKERD_SIDECAR);
    String linkerdNative =
        annotations(
            "config.alpha.linkerd.io/proxy-enable-native-sidecar=\"true\"",
            "linkerd.io/proxy-version=\"edge-25.1.1\"");
    assertThat(gate(null, listening(), ANNOTATIONS, linkerdNative).mesh().mode())
        .isEqualTo(MeshMode.LINKERD_NATIVE_SIDECAR);
    String linkerdDefault = annotations("linkerd.io/proxy-version=\"stable-2.20.0\"");
    GateResult byDefault = gate(null, listening(), ANNOTATIONS, linkerdDefault);
    assertThat(byDefault.mesh().mode()).isEqualTo(MeshMode.LINKERD_NATIVE_SIDECAR);
    assertThat(byDefault.mesh().evidence()).contains("by default from 2.20");
    assertThat(PodAnnotations.nativeByDefault("edge-26.5.2")).isTrue();
    assertThat(PodAnnotations.nativeByDefault("edge-26.5.1")).isFalse();
    assertThat(PodAnnotations.nativeByDefault("edge-27.1.1")).isTrue();
    assertThat(PodAnnotations.nativeByDefault("stable-2.19.3")).isFalse();
    assertThat(PodAnnotations.nativeByDefault("dev-abc")).isFalse();
    assertThat(PodAnnotations.nativeByDefault("stable-2.x")).isFalse();
    sidecar.reset();
    sidecar.answer(503);
    String ambient = annotations("ambient.istio.io/redirection=\"enabled\"");
    GateResult ambientResult = gate(null, listening(), ANNOTATIONS, ambient);
    assertThat(ambientResult.verdict()).isEqualTo(GateResult.Verdict.NO_SIDECAR);
    assertThat(ambientResult.mesh().mode()).isEqualTo(MeshMode.ISTIO_AMBIENT);
    String none = annotations("app=\"demo\"");
    assertThat(gate(null, listening(15021), ANNOTATIONS, none).mesh().mode())
        .as("the annotations file is exact: it wins over the listeners")
        .isEqualTo(MeshMode.NONE);
    sidecar.verifyNeverProbed();
  }

  @Test
  void theUsersMeshSettingOverrides() throws Exception {
    sidecar.answer(503);
    GateResult none = gate(api(), listening(15021), "meshaware.mesh", "none");
    assertThat(none.verdict()).isEqualTo(GateResult.Verdict.SKIPPED);
    assertThat(none.mesh().mode()).isEqualTo(MeshMode.NONE);
    sidecar.verifyNeverProbed();

    sidecar.answer(200);
    GateResult linkerd = gate(api(), listening(), "meshaware.mesh", "linkerd");
    assertThat(linkerd.verdict())
        .as("no proxy port, traffic direct: the user said Linkerd")
        .isEqualTo(GateResult.Verdict.READY);
    assertThat(linkerd.mesh().mode()).isEqualTo(MeshMode.LINKERD_SIDECAR);
    assertThat(linkerd.mesh().evidence()).contains("meshaware.mesh=linkerd");
    String nativeSidecar =
        annotations(
            "sidecar.istio.io/status=\"{\\\"initContainers\\\":[\\\"istio-proxy\\\"],"
                + "\\\"containers\\\":null}\"");
    assertThat(
            gate(null, listening(), ANNOTATIONS, nativeSidecar, "meshaware.mesh", "istio")
                .mesh()
                .mode())
        .as("istio keeps the annotations' Istio mode")
        .isEqualTo(MeshMode.ISTIO_NATIVE_SIDECAR);
  }

  @Test
  void inconclusiveEvidenceKeepsTheBoundedWaitAndSaysHowToAvoidIt() throws Exception {
    GateResult result =
        gate(
            null,
            listening(),
            "meshaware.startup.no-sidecar-after",
            "200ms",
            "meshaware.startup.ready-url",
            "http://127.0.0.1:" + FakeSidecar.closedPort() + "/healthz/ready");
    assertThat(result.verdict()).isEqualTo(GateResult.Verdict.NO_SIDECAR);
    assertThat(result.waited()).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    assertThat(log.lines())
        .singleElement()
        .asString()
        .contains(
            "KUBERNETES_SERVICE_PORT unset",
            "meshaware.startup.pod-annotations-file",
            "meshaware.mesh");
  }

  @Test
  void theRedirectionProbeNeverLooksANameUpAndRejectsBadValues() {
    assertThat(PodNetwork.probeRedirect("kubernetes.default", "443").outcome)
        .isEqualTo(PodNetwork.Redirect.UNKNOWN);
    assertThat(PodNetwork.probeRedirect("127.0.0.1", "443x").outcome)
        .isEqualTo(PodNetwork.Redirect.UNKNOWN);
    assertThat(PodNetwork.probeRedirect("127.0.0.1", "70000").outcome)
        .isEqualTo(PodNetwork.Redirect.UNKNOWN);
    assertThat(PodNetwork.probeRedirect("999.0.0.1", "443").outcome)
        .isEqualTo(PodNetwork.Redirect.UNKNOWN);
    assertThat(PodNetwork.ipLiteral("::1")).isNotNull();
    assertThat(PodNetwork.ipLiteral("[::1]")).isNotNull();
    assertThat(PodNetwork.ipLiteral("fd00::zz")).isNull();
  }

  @Test
  void theListenerTableIsReadFromLinuxFormatAndToleratesGarbage() throws Exception {
    Path table =
        Files.writeString(
            dir.resolve("tcp6"),
            "  sl  local_address                         remote_address                        st\n"
                + "   0: 00000000000000000000000000000000:0FA3 00000000000000000000000000000000:0000"
                + " 0A 00000000:00000000 00:00000000 00000000   101\n"
                + "garbage\n   2: zz:zz 0A\n");
    assertThat(new PodNetwork(table, dir.resolve("missing")).listeningPorts())
        .containsExactly(4003);
  }
}
