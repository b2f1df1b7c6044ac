package dev.meshaware.agent.startup;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.meshaware.agent.apps.JobApp;
import dev.meshaware.agent.testing.ChildJvm;
import dev.meshaware.agent.testing.Result;
import dev.meshaware.core.testing.FakeSidecar;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each mesh mode, simulated from its pod annotations file and a WireMock proxy, in a Job run with
 * the agent: the gate, the listen-address check, the shutdown delay and the proxy quit do what the
 * README's table of mesh modes says. The Job listens a moment on a port its mesh owns, then ends
 * with {@code System.exit(0)}; its shutdown hook calls out through the "proxy".
 */
class MeshModesIT {
  private static final Duration CHILD_LIMIT = Duration.ofSeconds(60);
  private static final String HOOK_PATH = "/app-hook";
  private static final String LINKERD_READY = "/ready";
  private static final String LINKERD_SHUTDOWN = "/shutdown";
  private static final Pattern GATE_MS = Pattern.compile("of which the startup gate (\\d+) ms");
  private static FakeSidecar proxy;
  @TempDir Path dir;

  @BeforeAll
  static void startProxy() {
    proxy = new FakeSidecar();
  }

  @AfterAll
  static void stopProxy() {
    proxy.close();
  }

  @BeforeEach
  void answer() {
    proxy.reset();
    proxy.answer(200);
    proxy.answerQuit(200);
    proxy.server().stubFor(get(LINKERD_READY).willReturn(aResponse().withStatus(200)));
    proxy.server().stubFor(post(LINKERD_SHUTDOWN).willReturn(aResponse().withStatus(200)));
    proxy.server().stubFor(get(HOOK_PATH).willReturn(aResponse().withStatus(200)));
  }

  private Result job(String listen, String... annotations) throws Exception {
    Path file = Files.writeString(dir.resolve("annotations"), String.join("\n", annotations));
    return ChildJvm.running(JobApp.class)
        .inKubernetes()
        .property("meshaware.startup.pod-annotations-file", file.toString())
        .property("meshaware.startup.ready-url", readyUrl(annotations))
        .property("meshaware.shutdown.quit-url", quitUrl(annotations))
        .property("meshaware.report.delay", "0s")
        .property("app.hookUrl", proxy.url(HOOK_PATH))
        .property("app.listen", listen)
        .property("app.end", "exit0soon")
        .property("app.exitAfterMs", "300")
        .run(CHILD_LIMIT);
  }

  private static boolean linkerd(String... annotations) {
    return String.join("\n", annotations).contains("linkerd.io/");
  }

  private static String readyUrl(String... annotations) {
    return linkerd(annotations) ? proxy.url(LINKERD_READY) : proxy.readyUrl();
  }

  private static String quitUrl(String... annotations) {
    return linkerd(annotations) ? proxy.url(LINKERD_SHUTDOWN) : proxy.quitUrl();
  }

  /** What the proxy received besides readiness probes, oldest first. */
  private static List<String> received() {
    List<String> received = new ArrayList<>();
    for (ServeEvent event : proxy.server().getAllServeEvents()) {
      String url = event.getRequest().getUrl();
      if (!url.equals(FakeSidecar.READY_PATH) && !url.equals(LINKERD_READY)) {
        received.add(0, event.getRequest().getMethod() + " " + url);
      }
    }
    return received;
  }

  private static int probes(String path) {
    return proxy.server().findAll(getRequestedFor(urlEqualTo(path))).size();
  }

  private static String reportFact(Result result, String name) {
    String prefix = "    " + name + ":";
    for (String line : result.meshawareLines()) {
      int at = line.indexOf(prefix);
      if (at >= 0) {
        return line.substring(at + prefix.length()).trim();
      }
    }
    return "(no '" + name + "' in the report)\n" + result;
  }

  private static String bindLine(Result result) {
    return result.meshawareLines().stream()
        .filter(l -> l.contains("server socket 127.0.0.1:"))
        .findFirst()
        .orElse("(no bind line)");
  }

  private static final String ISTIO_CLASSIC =
      "sidecar.istio.io/status=\"{\\\"initContainers\\\":[\\\"istio-init\\\"],"
          + "\\\"containers\\\":[\\\"istio-proxy\\\"],\\\"volumes\\\":[\\\"istio-envoy\\\"],"
          + "\\\"imagePullSecrets\\\":null,\\\"revision\\\":\\\"default\\\"}\"";
  private static final String ISTIO_NATIVE =
      "sidecar.istio.io/status=\"{\\\"initContainers\\\":[\\\"istio-validation\\\","
          + "\\\"istio-proxy\\\"],\\\"containers\\\":null,\\\"volumes\\\":[\\\"istio-envoy\\\"],"
          + "\\\"imagePullSecrets\\\":null,\\\"revision\\\":\\\"default\\\"}\"";

  @Test
  void istioSidecarContainerWaitsChecksIstioPortsDelaysAndQuitsAfterTheHooks() throws Exception {
    Result result = job("127.0.0.1:15004", "app=\"job\"", ISTIO_CLASSIC);

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(probes(FakeSidecar.READY_PATH)).isPositive();
    assertThat(reportFact(result, "mode")).startsWith("istio-sidecar");
    assertThat(reportFact(result, "evidence")).contains("istio-proxy as a container");
    assertThat(bindLine(result)).contains("15004", "which the Istio sidecar owns");
    assertThat(reportFact(result, "at SIGTERM")).startsWith("keep serving");
    assertThat(received())
        .as(result.toString())
        .containsExactly("GET " + HOOK_PATH, "POST " + FakeSidecar.QUIT_PATH);
  }

  @Test
  void istioNativeSidecarWaitsButNeverQuits() throws Exception {
    Result result = job("127.0.0.1:15004", ISTIO_NATIVE);

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(probes(FakeSidecar.READY_PATH)).isPositive();
    assertThat(reportFact(result, "mode")).startsWith("istio-native-sidecar");
    assertThat(bindLine(result)).contains("which the Istio sidecar owns");
    assertThat(reportFact(result, "at SIGTERM")).startsWith("keep serving");
    assertThat(reportFact(result, "proxy quit"))
        .contains("native sidecar is stopped by the kubelet");
    assertThat(received()).as(result.toString()).containsExactly("GET " + HOOK_PATH);
  }

  @Test
  void istioAmbientNeitherWaitsNorQuitsAndChecksZtunnelsPorts() throws Exception {
    Result result = job("127.0.0.1:15008", "ambient.istio.io/redirection=\"enabled\"");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(probes(FakeSidecar.READY_PATH)).isZero();
    assertThat(reportFact(result, "mode")).startsWith("istio-ambient");
    assertThat(bindLine(result)).contains("15008", "ztunnel");
    assertThat(reportFact(result, "at SIGTERM")).startsWith("keep serving");
    assertThat(reportFact(result, "proxy quit")).contains("ztunnel runs on the node");
    assertThat(received()).as(result.toString()).containsExactly("GET " + HOOK_PATH);
  }

  @Test
  void linkerdSidecarWaitsOnItsReadyEndpointAndEndsAJobThroughItsShutdownEndpoint()
      throws Exception {
    Result result =
        job(
            "127.0.0.1:4190",
            "linkerd.io/created-by=\"linkerd/proxy-injector stable-2.14.10\"",
            "linkerd.io/proxy-version=\"stable-2.14.10\"");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(probes(LINKERD_READY)).isPositive();
    assertThat(probes(FakeSidecar.READY_PATH)).isZero();
    assertThat(reportFact(result, "mode")).startsWith("linkerd-sidecar");
    assertThat(bindLine(result)).contains("4190", "the Linkerd proxy owns");
    assertThat(reportFact(result, "at SIGTERM")).startsWith("keep serving");
    assertThat(received())
        .as("the hook's call first, then the shutdown call\n" + result)
        .containsExactly("GET " + HOOK_PATH, "POST " + LINKERD_SHUTDOWN);
  }

  @Test
  void linkerdWithItsShutdownEndpointDisabledSaysHowToEnableIt() throws Exception {
    proxy
        .server()
        .stubFor(
            post(LINKERD_SHUTDOWN)
                .willReturn(
                    aResponse().withStatus(404).withBody("shutdown endpoint is not enabled\n")));
    Result result = job("127.0.0.1:0", "linkerd.io/proxy-version=\"stable-2.16.1\"");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.meshawareLines().stream().filter(l -> l.contains("shutdown endpoint")))
        .as(result.toString())
        .singleElement()
        .asString()
        .contains(
            "WARNING",
            "HTTP 404",
            "config.linkerd.io/proxy-admin-shutdown: enabled",
            "native sidecar");
  }

  @Test
  void linkerdNativeSidecarNeverQuits() throws Exception {
    Result result =
        job(
            "127.0.0.1:0",
            "config.alpha.linkerd.io/proxy-enable-native-sidecar=\"true\"",
            "linkerd.io/proxy-version=\"stable-2.15.2\"");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(probes(LINKERD_READY)).isPositive();
    assertThat(reportFact(result, "mode")).startsWith("linkerd-native-sidecar");
    assertThat(received()).as(result.toString()).containsExactly("GET " + HOOK_PATH);
  }

  @Test
  void aPodWithoutAMeshDoesNothingAtAll() throws Exception {
    Result result = job("127.0.0.1:15004", "app=\"job\"");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(probes(FakeSidecar.READY_PATH)).isZero();
    assertThat(reportFact(result, "mode")).startsWith("none");
    assertThat(bindLine(result)).isEqualTo("(no bind line)");
    assertThat(reportFact(result, "at SIGTERM")).startsWith("nothing added");
    assertThat(received()).as(result.toString()).containsExactly("GET " + HOOK_PATH);
  }

  @Test
  void withoutAnnotationsConclusiveEvidenceOfNoMeshStartsAtOnce() throws Exception {
    // The "Kubernetes API Service" answers on loopback: no redirection to a proxy port.
    try (ServerSocket api = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Result result =
          ChildJvm.running(JobApp.class)
              .inKubernetes()
              .env("KUBERNETES_SERVICE_PORT", Integer.toString(api.getLocalPort()))
              .property("meshaware.debug", "true")
              .property("meshaware.report.delay", "0s")
              .property("app.hookUrl", proxy.url(HOOK_PATH))
              .property("app.end", "exit0soon")
              .property("app.exitAfterMs", "300")
              .run(CHILD_LIMIT);

      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(probes(FakeSidecar.READY_PATH)).isZero();
      assertThat(result.meshawareLines())
          .anySatisfy(
              l -> assertThat(l).contains("no sidecar: no proxy port listens", "starting at once"));
      assertThat(reportFact(result, "mode")).startsWith("none");
      Matcher gate = GATE_MS.matcher(String.join("\n", result.meshawareLines()));
      assertThat(gate.find()).as(result.toString()).isTrue();
      // Not the bounded wait of meshaware.startup.no-sidecar-after (5 s); the benchmark
      // (bash benchmarks/run startup, "no sidecar") times it.
      assertThat(Long.parseLong(gate.group(1))).isLessThan(2000);
    }
  }
}
