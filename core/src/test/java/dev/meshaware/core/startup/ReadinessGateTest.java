package dev.meshaware.core.startup;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import dev.meshaware.core.config.ConfigSource;
import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.log.CapturedLog;
import dev.meshaware.core.testing.FakeSidecar;
import dev.meshaware.core.testing.StuckLookup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
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

class ReadinessGateTest {
  private static final String READY_PATH = FakeSidecar.READY_PATH;
  private static FakeSidecar sidecar;
  private final CapturedLog log = new CapturedLog();

  @BeforeAll
  static void startSidecar() {
    sidecar = new FakeSidecar();
  }

  @AfterAll
  static void stopSidecar() {
    sidecar.close();
  }

  @AfterEach
  void reset() {
    sidecar.reset();
    log.close();
  }

  private static void answer(int status) {
    sidecar.answer(status);
  }

  private static String readyUrl() {
    return sidecar.readyUrl();
  }

  private static ReadinessGate gate(boolean inKubernetes, String... keyValues) {
    return gate(inKubernetes, HostResolver.system(), keyValues);
  }

  private static ReadinessGate gate(
      boolean inKubernetes, HostResolver resolver, String... keyValues) {
    Map<String, String> properties = new HashMap<>();
    properties.put("meshaware.startup.ready-url", readyUrl());
    for (int i = 0; i < keyValues.length; i += 2) {
      properties.put(keyValues[i], keyValues[i + 1]);
    }
    Map<String, String> env =
        inKubernetes ? Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1") : Map.of();
    return new ReadinessGate(MeshawareSettings.load(ConfigSource.of(properties, env)), resolver);
  }

  @Test
  void holdsUntilTheSidecarAnswers200ThenReleasesQuickly() throws Exception {
    answer(503);
    Thread flip =
        new Thread(
            () -> {
              sleep(800);
              answer(200);
            });
    flip.start();
    GateResult result = gate(true).await();
    flip.join();

    assertThat(result.verdict()).isEqualTo(GateResult.Verdict.READY);
    assertThat(result.waited()).isBetween(Duration.ofMillis(800), Duration.ofMillis(1600));
    assertThat(log.lines()).containsExactly("[meshaware] " + result.message());
    assertThat(result.message()).matches("sidecar ready after \\d+\\.\\d\\d s \\(http://.*\\)");
  }

  @Test
  void continuesWithAWarningWhenNeverReady() {
    answer(503);
    GateResult result = gate(true, "meshaware.startup.timeout", "1s").await();

    assertThat(result.verdict()).isEqualTo(GateResult.Verdict.TIMED_OUT);
    assertThat(result.exitRequested()).isFalse();
    assertThat(result.waited()).isBetween(Duration.ofMillis(1000), Duration.ofMillis(1700));
    assertThat(log.lines()).hasSize(1);
    assertThat(log.lines().get(0))
        .startsWith("[meshaware] WARNING sidecar not ready after")
        .contains("-> HTTP 503", "starting anyway", "istio-proxy");
  }

  @Test
  void asksToExitWhenFailClosed() {
    answer(503);
    GateResult result =
        gate(true, "meshaware.startup.timeout", "300ms", "meshaware.startup.on-timeout", "exit")
            .await();

    assertThat(result.exitRequested()).isTrue();
    assertThat(log.lines().get(0))
        .startsWith("[meshaware] ERROR")
        .contains("exiting with status " + ReadinessGate.EXIT_STATUS);
  }

  @Test
  void endsAtTheDeadlineWhenTheEndpointHangs() {
    sidecar.answer(aResponse().withStatus(200).withFixedDelay(5000));
    GateResult result = gate(true, "meshaware.startup.timeout", "1200ms").await();

    assertThat(result.verdict()).isEqualTo(GateResult.Verdict.TIMED_OUT);
    assertThat(result.waited()).isBetween(Duration.ofMillis(1200), Duration.ofMillis(1900));
    assertThat(result.message()).contains("timed out after");
  }

  @Test
  void treatsGarbageAndResetsAsNotReady() {
    for (Fault fault :
        new Fault[] {
          Fault.RANDOM_DATA_THEN_CLOSE, Fault.CONNECTION_RESET_BY_PEER, Fault.EMPTY_RESPONSE
        }) {
      sidecar.answer(aResponse().withFault(fault));
      GateResult result = gate(true, "meshaware.startup.timeout", "400ms").await();
      assertThat(result.verdict()).as(fault.name()).isEqualTo(GateResult.Verdict.TIMED_OUT);
      assertThat(result.waited()).as(fault.name()).isLessThan(Duration.ofMillis(1100));
    }
  }

  @Test
  void doesNotFollowRedirects() {
    sidecar.answer(aResponse().withStatus(302).withHeader("Location", "/ok"));
    GateResult result = gate(true, "meshaware.startup.timeout", "300ms").await();
    assertThat(result.verdict()).isEqualTo(GateResult.Verdict.TIMED_OUT);
    assertThat(result.message()).contains("HTTP 302 redirect");
  }

  @Test
  void printsProgressWhileWaiting() {
    answer(503);
    gate(true, "meshaware.startup.timeout", "2500ms").await();
    assertThat(log.lines()).hasSize(2);
    assertThat(log.lines().get(0))
        .startsWith("[meshaware] waiting for sidecar: 2.")
        .contains("of 2500ms elapsed", readyUrl() + " -> HTTP 503");
  }

  @Test
  void doesNotProbeOutsideKubernetesInAutoMode() {
    answer(200);
    GateResult result = gate(false).await();
    assertThat(result.verdict()).isEqualTo(GateResult.Verdict.SKIPPED);
    assertThat(log.lines().get(0)).contains("not in Kubernetes");
    sidecar.verifyNeverProbed();
  }

  @Test
  void doesNotProbeInNeverMode() {
    answer(200);
    GateResult result = gate(true, "meshaware.startup.mode", "never").await();
    assertThat(result.verdict()).isEqualTo(GateResult.Verdict.SKIPPED);
    sidecar.verifyNeverProbed();
  }

  @Test
  void waitsOutsideKubernetesInAlwaysMode() {
    answer(200);
    GateResult result = gate(false, "meshaware.startup.mode", "always").await();
    assertThat(result.verdict()).isEqualTo(GateResult.Verdict.READY);
  }

  @Test
  void concludesNoSidecarWhenNothingEverListens() throws IOException {
    String closed = "http://127.0.0.1:" + FakeSidecar.closedPort() + READY_PATH;
    GateResult result =
        gate(
                true,
                "meshaware.startup.ready-url",
                closed,
                "meshaware.startup.no-sidecar-after",
                "600ms")
            .await();
    assertThat(result.verdict()).isEqualTo(GateResult.Verdict.NO_SIDECAR);
    assertThat(result.waited()).isBetween(Duration.ofMillis(600), Duration.ofMillis(1000));
    assertThat(log.lines()).hasSize(1);
    assertThat(log.lines().get(0)).contains("no sidecar: nothing listened at " + closed);
  }

  @Test
  void keepsWaitingWhenTheStatusPortAnswersEvenPastNoSidecarAfter() {
    answer(503);
    GateResult result =
        gate(
                true,
                "meshaware.startup.no-sidecar-after",
                "100ms",
                "meshaware.startup.timeout",
                "800ms")
            .await();
    assertThat(result.verdict()).isEqualTo(GateResult.Verdict.TIMED_OUT);
  }

  @Test
  void neverConcludesNoSidecarInAlwaysMode() throws IOException {
    GateResult result =
        gate(
                true,
                "meshaware.startup.mode",
                "always",
                "meshaware.startup.ready-url",
                "http://127.0.0.1:" + FakeSidecar.closedPort() + "/",
                "meshaware.startup.no-sidecar-after",
                "0ms",
                "meshaware.startup.timeout",
                "500ms")
            .await();
    assertThat(result.verdict()).isEqualTo(GateResult.Verdict.TIMED_OUT);
    assertThat(result.message()).contains("connection refused");
  }

  @Test
  void startsAtOnceWhenPodAnnotationsShowNoSidecar(@TempDir Path dir) throws IOException {
    Path file =
        Files.writeString(dir.resolve("annotations"), "kubectl.kubernetes.io/restartedAt=\"x\"\n");
    answer(503);
    GateResult result =
        gate(true, "meshaware.startup.pod-annotations-file", file.toString()).await();
    assertThat(result.verdict()).isEqualTo(GateResult.Verdict.NO_SIDECAR);
    assertThat(result.waited()).isLessThan(Duration.ofMillis(500));
    assertThat(log.lines().get(0)).contains("no sidecar.istio.io/status");
    sidecar.verifyNeverProbed();
  }

  @Test
  void startsAtOnceInAnAmbientPod(@TempDir Path dir) throws IOException {
    Path file =
        Files.writeString(dir.resolve("annotations"), "ambient.istio.io/redirection=\"enabled\"\n");
    GateResult result =
        gate(true, "meshaware.startup.pod-annotations-file", file.toString()).await();
    assertThat(result.verdict()).isEqualTo(GateResult.Verdict.NO_SIDECAR);
    assertThat(log.lines().get(0)).contains("Istio ambient", "no proxy in the pod");
  }

  @Test
  void waitsPastNoSidecarAfterWhenAnnotationsShowASidecar(@TempDir Path dir) throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("annotations"),
            "sidecar.istio.io/status=\"{\\\"containers\\\":[\\\"istio-proxy\\\"]}\"\n");
    GateResult result =
        gate(
                true,
                "meshaware.startup.pod-annotations-file",
                file.toString(),
                "meshaware.startup.ready-url",
                "http://127.0.0.1:" + FakeSidecar.closedPort() + "/",
                "meshaware.startup.no-sidecar-after",
                "0ms",
                "meshaware.startup.timeout",
                "500ms")
            .await();
    assertThat(result.verdict()).isEqualTo(GateResult.Verdict.TIMED_OUT);
  }

  @Test
  void fallsBackToProbingWhenTheAnnotationsFileIsMissing(@TempDir Path dir) {
    answer(200);
    GateResult result =
        gate(true, "meshaware.startup.pod-annotations-file", dir.resolve("absent").toString())
            .await();
    assertThat(result.verdict()).isEqualTo(GateResult.Verdict.READY);
    assertThat(log.lines().get(0))
        .startsWith("[meshaware] WARNING cannot read meshaware.startup.pod-annotations-file");
  }

  @Test
  void needsEveryListedUrlReady() {
    answer(200);
    sidecar.server().stubFor(get("/other").willReturn(aResponse().withStatus(503)));
    String both = readyUrl() + ",http://127.0.0.1:" + sidecar.port() + "/other";
    GateResult waiting =
        gate(true, "meshaware.startup.ready-url", both, "meshaware.startup.timeout", "300ms")
            .await();
    assertThat(waiting.verdict()).isEqualTo(GateResult.Verdict.TIMED_OUT);
    assertThat(waiting.message())
        .contains("/other -> HTTP 503")
        .doesNotContain(READY_PATH + " -> ");

    sidecar.server().stubFor(get("/other").willReturn(aResponse().withStatus(200)));
    GateResult ready = gate(true, "meshaware.startup.ready-url", both).await();
    assertThat(ready.verdict()).isEqualTo(GateResult.Verdict.READY);
  }

  @Test
  void isSkippedWhenMeshawareIsDisabled() {
    answer(503);
    GateResult result = gate(true, "meshaware.enabled", "false").await();
    assertThat(result.verdict()).isEqualTo(GateResult.Verdict.SKIPPED);
    sidecar.verifyNeverProbed();
  }

  /** The sidecar's readiness URL under a made-up name, resolved only by the test's lookup. */
  private static String namedReadyUrl() {
    return "http://sidecar.test:" + sidecar.port() + READY_PATH;
  }

  @Test
  void dialsTheAddressItsResolverGaveForAHostName() {
    answer(200);
    HostResolver loopback =
        new HostResolver(host -> new InetAddress[] {InetAddress.getLoopbackAddress()});
    GateResult result =
        gate(true, loopback, "meshaware.startup.ready-url", namedReadyUrl()).await();

    assertThat(result.verdict()).isEqualTo(GateResult.Verdict.READY);
    sidecar
        .server()
        .verify(
            getRequestedFor(urlEqualTo(READY_PATH))
                .withHeader("Host", equalTo("sidecar.test:" + sidecar.port())));
  }

  @Test
  void aNameThatNeverResolvesIsNotReadyUntilTheDeadlineAndSaysDns() {
    StuckLookup stuck = new StuckLookup();
    try {
      answer(200);
      GateResult result =
          gate(
                  true,
                  new HostResolver(stuck),
                  "meshaware.startup.ready-url",
                  namedReadyUrl(),
                  "meshaware.startup.no-sidecar-after",
                  "300ms",
                  "meshaware.startup.timeout",
                  "2500ms")
              .await();

      assertThat(result.verdict())
          .as("an unresolved name proves no absence of a sidecar")
          .isEqualTo(GateResult.Verdict.TIMED_OUT);
      assertThat(result.exitRequested()).isFalse();
      // The lookup blocks for ten minutes: ending at all is the point, the bound is loose.
      assertThat(result.waited()).isBetween(Duration.ofMillis(2500), Duration.ofSeconds(10));
      assertThat(stuck.calls()).as("one lookup, waited for by every probe").isEqualTo(1);
      assertThat(log.lines()).hasSize(2);
      assertThat(log.lines().get(0))
          .startsWith("[meshaware] waiting for sidecar: 2.")
          .contains(namedReadyUrl() + " -> DNS: no answer for sidecar.test after");
      assertThat(log.lines().get(1))
          .startsWith("[meshaware] WARNING sidecar not ready after 2.")
          .contains("DNS: no answer for sidecar.test", "starting anyway")
          .contains("meshaware.startup.ready-url names a host that did not resolve in time");
      sidecar.verifyNeverProbed();
    } finally {
      stuck.release();
    }
  }

  @Test
  void aNameThatNeverResolvesFailsClosedAtTheDeadlineWhenAskedTo() {
    StuckLookup stuck = new StuckLookup();
    try {
      GateResult result =
          gate(
                  true,
                  new HostResolver(stuck),
                  "meshaware.startup.ready-url",
                  namedReadyUrl(),
                  "meshaware.startup.timeout",
                  "600ms",
                  "meshaware.startup.on-timeout",
                  "exit")
              .await();

      assertThat(result.verdict()).isEqualTo(GateResult.Verdict.TIMED_OUT);
      assertThat(result.exitRequested()).isTrue();
      assertThat(result.waited()).isBetween(Duration.ofMillis(600), Duration.ofSeconds(10));
      assertThat(log.lines())
          .singleElement()
          .asString()
          .startsWith("[meshaware] ERROR sidecar not ready after")
          .contains("DNS: no answer for sidecar.test", "exiting with status 75");
    } finally {
      stuck.release();
    }
  }

  @Test
  void anUnknownHostIsNotReadyRatherThanNoSidecar() {
    HostResolver nxdomain =
        new HostResolver(
            host -> {
              throw new UnknownHostException(host);
            });
    GateResult result =
        gate(
                true,
                nxdomain,
                "meshaware.startup.ready-url",
                namedReadyUrl(),
                "meshaware.startup.no-sidecar-after",
                "0ms",
                "meshaware.startup.timeout",
                "500ms")
            .await();
    assertThat(result.verdict()).isEqualTo(GateResult.Verdict.TIMED_OUT);
    assertThat(result.message()).contains(namedReadyUrl() + " -> DNS: unknown host sidecar.test");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
