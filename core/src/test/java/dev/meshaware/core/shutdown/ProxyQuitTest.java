package dev.meshaware.core.shutdown;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.config.ConfigSource;
import dev.meshaware.core.config.HttpEndpoint;
import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.log.CapturedLog;
import dev.meshaware.core.startup.HostResolver;
import dev.meshaware.core.startup.MeshDetection;
import dev.meshaware.core.startup.MeshMode;
import dev.meshaware.core.testing.FakeSidecar;
import dev.meshaware.core.testing.StuckLookup;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProxyQuitTest {
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

  private static ProxyQuit quit(WhenToQuit mode, JvmEnding ending) {
    sidecar.answerQuit(200);
    return new ProxyQuit(
        mode, HttpEndpoint.parse(sidecar.quitUrl()), ending, HostResolver.system());
  }

  private static JvmEnding clean() {
    JvmEnding ending = JvmEnding.fresh();
    ending.onExit(0);
    return ending;
  }

  @Test
  void postsToTheQuitUrlAfterACleanEnd() {
    quit(WhenToQuit.AUTO, clean()).atJvmEnd();
    sidecar.server().verify(1, postRequestedFor(urlEqualTo(FakeSidecar.QUIT_PATH)));
    assertThat(log.lines())
        .singleElement()
        .asString()
        .startsWith("[meshaware] application shutdown hooks done")
        .contains("told the proxy to quit (POST " + sidecar.quitUrl() + " -> HTTP 200 in");
  }

  @Test
  void doesNotQuitUnderAutoAfterAnUncleanEnd() {
    JvmEnding term = JvmEnding.fresh();
    term.termReceived();
    quit(WhenToQuit.AUTO, term).atJvmEnd();
    sidecar.server().verify(0, postRequestedFor(urlEqualTo(FakeSidecar.QUIT_PATH)));
    assertThat(log.lines())
        .singleElement()
        .asString()
        .contains("not telling the proxy to quit: the JVM ends on SIGTERM");
  }

  @Test
  void alwaysQuitsWhateverTheEnd() {
    JvmEnding failed = JvmEnding.fresh();
    failed.onExit(2);
    quit(WhenToQuit.ALWAYS, failed).atJvmEnd();
    sidecar.server().verify(1, postRequestedFor(urlEqualTo(FakeSidecar.QUIT_PATH)));
    assertThat(log.lines().get(0)).contains("meshaware.shutdown.quit-proxy=always");
  }

  @Test
  void warnsWhenTheProxyDoesNotAcceptTheQuit() {
    new ProxyQuit(
            WhenToQuit.ALWAYS,
            HttpEndpoint.parse("http://127.0.0.1:" + FakeSidecar.closedPort() + "/quitquitquit"),
            clean(),
            HostResolver.system())
        .atJvmEnd();
    assertThat(log.lines())
        .singleElement()
        .asString()
        .startsWith("[meshaware] WARNING")
        .contains("connection refused", "meshaware.shutdown.quit-url");
  }

  @Test
  void saysNothingUnderAutoWhenNoProxyListens() {
    new ProxyQuit(
            WhenToQuit.AUTO,
            HttpEndpoint.parse("http://127.0.0.1:" + FakeSidecar.closedPort() + "/quitquitquit"),
            clean(),
            HostResolver.system())
        .atJvmEnd();
    assertThat(log.lines()).isEmpty();
  }

  private static ProxyQuit namedQuit(WhenToQuit mode, HostResolver resolver) {
    sidecar.answerQuit(200);
    return new ProxyQuit(
        mode,
        HttpEndpoint.parse("http://sidecar.test:" + sidecar.port() + FakeSidecar.QUIT_PATH),
        clean(),
        resolver);
  }

  @Test
  void postsToTheAddressItsResolverGaveForAHostName() {
    namedQuit(
            WhenToQuit.AUTO,
            new HostResolver(host -> new InetAddress[] {InetAddress.getLoopbackAddress()}))
        .atJvmEnd();
    sidecar
        .server()
        .verify(
            1,
            postRequestedFor(urlEqualTo(FakeSidecar.QUIT_PATH))
                .withHeader("Host", equalTo("sidecar.test:" + sidecar.port())));
    assertThat(log.lines().get(0)).contains("told the proxy to quit");
  }

  @Test
  void aQuitUrlWhoseNameNeverResolvesIsAFailedQuitWithinTheTimeout() {
    StuckLookup stuck = new StuckLookup();
    try {
      long begun = System.nanoTime();
      namedQuit(WhenToQuit.AUTO, new HostResolver(stuck)).atJvmEnd();
      Duration took = Duration.ofNanos(System.nanoTime() - begun);

      // The lookup blocks for ten minutes: ending at all is the point, the bound is loose.
      assertThat(took).isBetween(ProxyQuit.TIMEOUT, Duration.ofSeconds(10));
      sidecar.server().verify(0, postRequestedFor(urlEqualTo(FakeSidecar.QUIT_PATH)));
      assertThat(log.lines())
          .as("even under auto, where an unreachable proxy is silent: DNS proves nothing")
          .singleElement()
          .asString()
          .startsWith("[meshaware] WARNING application shutdown hooks done")
          .contains("did not accept the quit", "DNS: no answer for sidecar.test after 2.")
          .contains("meshaware.shutdown.quit-url names a host that did not resolve in time")
          .contains("use an IP address");
    } finally {
      stuck.release();
    }
  }

  private static MeshawareSettings settings(Map<String, String> properties) {
    return MeshawareSettings.load(ConfigSource.of(properties, Map.of()));
  }

  private static MeshDetection in(MeshMode mode) {
    return new MeshDetection(mode, "test");
  }

  @Test
  void autoAppliesOnlyWhereASidecarIsOrCouldBeAndNeverNowhere() {
    assertThat(ProxyQuit.from(settings(Map.of()), in(MeshMode.NONE))).isNull();
    assertThat(ProxyQuit.from(settings(Map.of()), in(MeshMode.POSSIBLE_SIDECAR)).needsExitStatus())
        .isTrue();
    assertThat(
            ProxyQuit.from(
                settings(Map.of("meshaware.shutdown.quit-proxy", "always")), in(MeshMode.NONE)))
        .isNotNull();
    assertThat(
            ProxyQuit.from(
                settings(Map.of("meshaware.shutdown.quit-proxy", "never")),
                in(MeshMode.ISTIO_SIDECAR)))
        .isNull();
  }

  @Test
  void eachMeshModeQuitsItsOwnProxyOrNone() {
    MeshawareSettings auto = settings(Map.of());
    assertThat(ProxyQuit.from(auto, in(MeshMode.ISTIO_SIDECAR)).describe())
        .endsWith("POST http://127.0.0.1:15020/quitquitquit");
    assertThat(ProxyQuit.from(auto, in(MeshMode.LINKERD_SIDECAR)).describe())
        .endsWith("POST http://127.0.0.1:4191/shutdown");
    for (MeshMode none :
        List.of(
            MeshMode.ISTIO_NATIVE_SIDECAR,
            MeshMode.LINKERD_NATIVE_SIDECAR,
            MeshMode.ISTIO_AMBIENT,
            MeshMode.NONE)) {
      assertThat(ProxyQuit.from(auto, in(none))).as(none.id()).isNull();
    }
    assertThat(ProxyQuit.whyNone(auto, in(MeshMode.ISTIO_NATIVE_SIDECAR)))
        .contains("native sidecar is stopped by the kubelet");
    assertThat(ProxyQuit.whyNone(auto, in(MeshMode.ISTIO_AMBIENT))).contains("ztunnel");
    assertThat(ProxyQuit.from(auto, in(MeshMode.POSSIBLE_SIDECAR)).describe())
        .endsWith(
            "POST http://127.0.0.1:15020/quitquitquit"
                + " (nothing listening there: POST http://127.0.0.1:4191/shutdown)");
    MeshawareSettings explicit =
        settings(Map.of("meshaware.shutdown.quit-url", "http://127.0.0.1:9/quit"));
    assertThat(ProxyQuit.from(explicit, in(MeshMode.LINKERD_SIDECAR)).describe())
        .endsWith("POST http://127.0.0.1:9/quit");
  }
}
