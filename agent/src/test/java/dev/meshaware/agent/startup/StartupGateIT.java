package dev.meshaware.agent.startup;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import dev.meshaware.agent.testing.ChildJvm;
import dev.meshaware.agent.testing.GatedApp;
import dev.meshaware.agent.testing.Result;
import dev.meshaware.core.config.MeshawareKeys;
import dev.meshaware.core.config.Setting;
import dev.meshaware.core.startup.ReadinessGate;
import dev.meshaware.core.testing.FakeSidecar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The startup gate in a real child JVM with the agent, a WireMock server as the sidecar. */
class StartupGateIT {
  private static final String READY_PATH = FakeSidecar.READY_PATH;
  private static final Duration CHILD_LIMIT = Duration.ofSeconds(60);
  private static final Pattern WAITED = Pattern.compile("(\\d+\\.\\d\\d) s");
  private static FakeSidecar sidecar;

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
  }

  private static void answer(int status) {
    sidecar.answer(status);
  }

  private static ChildJvm app() {
    return ChildJvm.running(GatedApp.class)
        .property("meshaware.startup.ready-url", sidecar.readyUrl());
  }

  @Test
  void startsMainSoonAfterTheSidecarTurnsReadyAndNotBefore() throws Exception {
    answer(503);
    ChildJvm.Running child = app().inKubernetes().start();
    // Ready only once the gate has said it waits: a slow machine may take seconds to get there.
    child.awaitLine("[meshaware] waiting for sidecar:", CHILD_LIMIT);
    Thread.sleep(300);
    long readyAt = System.currentTimeMillis();
    answer(200);
    Result result = child.await(CHILD_LIMIT);

    long mainAt = GatedApp.startedAt(result);
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(mainAt)
        .as("main must not start before the sidecar is ready")
        .isGreaterThanOrEqualTo(readyAt);
    assertThat(mainAt - readyAt).as("ready -> main latency").isLessThan(2000);
    assertThat(result.indexOf("[meshaware] waiting for sidecar:")).isGreaterThanOrEqualTo(0);
    assertThat(result.firstLineContaining("-> HTTP 503")).isPresent();
    int verdict = result.indexOf("[meshaware] sidecar ready after");
    assertThat(verdict).as(result.toString()).isGreaterThanOrEqualTo(0);
    assertThat(verdict).isLessThan(result.indexOf(GatedApp.STARTED));
    System.out.printf("ready->main latency: %d ms%n", mainAt - readyAt);
  }

  @Test
  void runsTheChildOnTheRequestedJdk() throws Exception {
    Result result = app().run(CHILD_LIMIT);
    String home = result.firstLineContaining(GatedApp.JAVA_HOME).orElseThrow();
    assertThat(Path.of(home.substring(GatedApp.JAVA_HOME.length())).toRealPath())
        .isEqualTo(ChildJvm.javaHome().toRealPath());
  }

  @Test
  void startsWithAWarningWhenNeverReadyUnderContinue() throws Exception {
    answer(503);
    Result result =
        app().inKubernetes().property("meshaware.startup.timeout", "2s").run(CHILD_LIMIT);

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(GatedApp.startedAt(result)).isPositive();
    assertThat(result.firstLineContaining("[meshaware] WARNING sidecar not ready after"))
        .hasValueSatisfying(l -> assertThat(l).contains("HTTP 503", "starting anyway"));
    assertThat(waitedSeconds(result, "sidecar not ready")).isBetween(2.0, 3.0);
  }

  @Test
  void exitsWithTheDocumentedStatusAndNeverRunsMainUnderExit() throws Exception {
    answer(503);
    Result result =
        app()
            .inKubernetes()
            .env("MESHAWARE_STARTUP_TIMEOUT", "2s")
            .env("MESHAWARE_STARTUP_ON_TIMEOUT", "exit")
            .run(CHILD_LIMIT);

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ReadinessGate.EXIT_STATUS);
    assertThat(result.indexOf(GatedApp.STARTED)).as("main must never run").isEqualTo(-1);
    assertThat(result.firstLineContaining("[meshaware] ERROR sidecar not ready after"))
        .hasValueSatisfying(l -> assertThat(l).contains("exiting with status 75"));
  }

  /**
   * A ready-url with a host name, resolved by the JVM's own resolver in premain. The names come
   * from a hosts file ({@code jdk.net.hosts.file}), so no name server is ever asked.
   */
  private ChildJvm namedSidecar(Path dir, String hostsLine) throws Exception {
    Path hosts = Files.writeString(dir.resolve("hosts"), hostsLine + "\n");
    return app()
        .inKubernetes()
        .property("jdk.net.hosts.file", hosts.toString())
        .property(
            "meshaware.startup.ready-url", "http://sidecar.test:" + sidecar.port() + READY_PATH);
  }

  @Test
  void resolvesTheReadyUrlsHostNameAndDialsItsAddress(@TempDir Path dir) throws Exception {
    answer(200);
    Result result = namedSidecar(dir, "127.0.0.1 sidecar.test").run(CHILD_LIMIT);

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.firstLineContaining("[meshaware] sidecar ready after"))
        .hasValueSatisfying(l -> assertThat(l).contains("http://sidecar.test:"));
  }

  @Test
  void aReadyUrlWhoseHostDoesNotResolveFailsClosedAtTheDeadline(@TempDir Path dir)
      throws Exception {
    answer(200);
    Result result =
        namedSidecar(dir, "127.0.0.1 some-other-name.test")
            .property("meshaware.startup.no-sidecar-after", "500ms")
            .property("meshaware.startup.timeout", "2s")
            .property("meshaware.startup.on-timeout", "exit")
            .run(CHILD_LIMIT);

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ReadinessGate.EXIT_STATUS);
    assertThat(result.indexOf(GatedApp.STARTED)).as("main must never run").isEqualTo(-1);
    assertThat(result.firstLineContaining("[meshaware] ERROR sidecar not ready after"))
        .as("not ready, never 'no sidecar': an unresolved name proves nothing")
        .hasValueSatisfying(
            l ->
                assertThat(l)
                    .containsAnyOf(
                        "DNS: unknown host sidecar.test", "DNS: no answer for sidecar.test")
                    .contains("did not resolve in time", "use an IP address"));
    assertThat(waitedSeconds(result, "sidecar not ready")).isBetween(2.0, 10.0);
  }

  @Test
  void endsAtTheDeadlineWhenTheEndpointHangs() throws Exception {
    sidecar.answer(aResponse().withStatus(200).withFixedDelay(20_000));
    Result result =
        app().inKubernetes().property("meshaware.startup.timeout", "2s").run(CHILD_LIMIT);

    assertThat(GatedApp.startedAt(result)).isPositive();
    assertThat(waitedSeconds(result, "sidecar not ready")).isBetween(2.0, 3.0);
    assertThat(result.firstLineContaining("timed out after")).isPresent();
  }

  @Test
  void endsAtTheDeadlineWhenTheEndpointSendsGarbage() throws Exception {
    sidecar.answer(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE));
    Result result =
        app().inKubernetes().property("meshaware.startup.timeout", "2s").run(CHILD_LIMIT);

    assertThat(GatedApp.startedAt(result)).isPositive();
    assertThat(waitedSeconds(result, "sidecar not ready")).isBetween(2.0, 3.0);
  }

  @Test
  void neitherProbesNorWaitsOutsideKubernetesInAutoMode() throws Exception {
    answer(503);
    Result result = app().run(CHILD_LIMIT);

    assertThat(GatedApp.startedAt(result)).isPositive();
    assertThat(result.meshawareLines()).singleElement().asString().contains("not in Kubernetes");
    sidecar.verifyNeverProbed();
  }

  @Test
  void neverProbesInNeverMode() throws Exception {
    answer(503);
    Result result =
        app().inKubernetes().property("meshaware.startup.mode", "never").run(CHILD_LIMIT);

    assertThat(GatedApp.startedAt(result)).isPositive();
    assertThat(result.meshawareLines()).singleElement().asString().contains("mode=never");
    sidecar.verifyNeverProbed();
  }

  @Test
  void concludesNoSidecarWhenTheStatusPortIsClosedThroughout() throws Exception {
    Result result =
        app()
            .inKubernetes()
            .property(
                "meshaware.startup.ready-url",
                "http://127.0.0.1:" + FakeSidecar.closedPort() + READY_PATH)
            .property("meshaware.startup.no-sidecar-after", "1s")
            .run(CHILD_LIMIT);

    assertThat(GatedApp.startedAt(result)).isPositive();
    assertThat(result.meshawareLines())
        .singleElement()
        .asString()
        .contains("no sidecar: nothing listened");
    assertThat(waitedSeconds(result, "no sidecar")).isBetween(1.0, 2.0);
  }

  @Test
  void startsAtOnceWhenPodAnnotationsShowNoSidecar(@TempDir Path dir) throws Exception {
    Path annotations =
        Files.writeString(dir.resolve("annotations"), "app=\"reviews\"\nversion=\"v1\"\n");
    answer(503);
    Result result =
        app()
            .inKubernetes()
            .property("meshaware.startup.pod-annotations-file", annotations.toString())
            .run(CHILD_LIMIT);

    assertThat(GatedApp.startedAt(result)).isPositive();
    assertThat(result.meshawareLines())
        .singleElement()
        .asString()
        .contains("no sidecar.istio.io/status", "starting at once");
    sidecar.verifyNeverProbed();
  }

  @Test
  void reportsEveryBadValueByKeyAndAcceptedFormAndStillRunsTheApp() throws Exception {
    ChildJvm child = ChildJvm.running(GatedApp.class);
    String[][] bad = {
      {"meshaware.enabled", "maybe"},
      {"meshaware.startup.mode", "sometimes"},
      {"meshaware.startup.ready-url", "ftp://sidecar"},
      {"meshaware.startup.timeout", "forever"},
      {"meshaware.startup.on-timeout", "panic"},
      {"meshaware.startup.poll-interval", "1ms"},
      {"meshaware.startup.no-sidecar-after", "-5s"},
    };
    for (String[] keyValue : bad) {
      child.property(keyValue[0], keyValue[1]);
    }
    Result result = child.run(CHILD_LIMIT);

    assertThat(GatedApp.startedAt(result)).isPositive();
    for (String[] keyValue : bad) {
      Setting<?> setting = setting(keyValue[0]);
      assertThat(
              result.firstLineContaining("[meshaware] WARNING " + keyValue[0] + "='" + keyValue[1]))
          .as(keyValue[0])
          .hasValueSatisfying(l -> assertThat(l).contains("accepted: " + setting.acceptedForm()));
    }
  }

  @Test
  void reportsAnUnreadableAnnotationsFileByKeyAndStillRunsTheApp(@TempDir Path dir)
      throws Exception {
    answer(200);
    Result result =
        app()
            .inKubernetes()
            .property("meshaware.startup.pod-annotations-file", dir.resolve("missing").toString())
            .run(CHILD_LIMIT);

    assertThat(GatedApp.startedAt(result)).isPositive();
    assertThat(
            result.firstLineContaining(
                "WARNING cannot read meshaware.startup.pod-annotations-file"))
        .hasValueSatisfying(l -> assertThat(l).contains("downward-API"));
    assertThat(result.firstLineContaining("sidecar ready after")).isPresent();
  }

  @Test
  void doesNothingWhenDisabled() throws Exception {
    answer(503);
    Result result = app().inKubernetes().env("MESHAWARE_ENABLED", "false").run(CHILD_LIMIT);

    assertThat(GatedApp.startedAt(result)).isPositive();
    assertThat(result.meshawareLines()).singleElement().asString().contains("disabled");
    sidecar.verifyNeverProbed();
  }

  private static Setting<?> setting(String key) {
    return MeshawareKeys.ALL.stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow();
  }

  private static double waitedSeconds(Result result, String verdict) {
    String line =
        result
            .firstLineContaining(verdict)
            .orElseThrow(() -> new AssertionError(result.toString()));
    Matcher matcher = WAITED.matcher(line);
    assertThat(matcher.find()).as(line).isTrue();
    return Double.parseDouble(matcher.group(1));
  }
}
