package dev.meshaware.agent.shutdown;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.agent.apps.DrainApp;
import dev.meshaware.agent.testing.ChildJvm;
import dev.meshaware.agent.testing.Result;
import dev.meshaware.core.testing.FakeSidecar;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SIGTERM with the agent, in a pod with a sidecar (WireMock answering readiness): the service keeps
 * serving for the delay, waits for requests in flight, then stops with the status it would have had
 * without the agent.
 */
class ShutdownDrainIT {
  private static final Duration CHILD_LIMIT = Duration.ofSeconds(60);
  private static final int SIGTERM_STATUS = 143;
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static FakeSidecar sidecar;

  @BeforeAll
  static void startSidecar() {
    sidecar = new FakeSidecar();
    sidecar.answer(200);
  }

  @AfterAll
  static void stopSidecar() {
    sidecar.close();
  }

  private static ChildJvm service(String server) {
    return ChildJvm.running(DrainApp.class)
        .withLibraries()
        .inKubernetes()
        .property("meshaware.startup.ready-url", sidecar.readyUrl())
        .property("app.server", server);
  }

  /** A service that was sent SIGTERM while load ran, and what the load saw. */
  private static final class Restart {
    int succeeded;
    int failed;
    Result result;
  }

  /** Load for half a second, SIGTERM, load for two more seconds (as the mesh would), then stop. */
  private static Restart rollingRestart(ChildJvm jvm) throws Exception {
    ChildJvm.Running child = jvm.start();
    Restart restart = new Restart();
    try {
      int port = Integer.parseInt(child.awaitLine(DrainApp.PORT, CHILD_LIMIT));
      try (LoadGenerator load = new LoadGenerator(port)) {
        Thread.sleep(500);
        child.terminate();
        Thread.sleep(2000);
        load.close();
        restart.succeeded = load.succeeded();
        restart.failed = load.failed();
      }
      restart.result = child.await(CHILD_LIMIT);
      return restart;
    } finally {
      child.kill();
    }
  }

  @Test
  void aRollingRestartLosesNoRequestWithTheDelayAndSomeWithoutIt() throws Exception {
    Restart meshaware = rollingRestart(service("jdk"));
    Restart noDelay = rollingRestart(service("jdk").property("meshaware.shutdown.delay", "0"));
    System.out.printf(
        "rolling restart, load for 2 s after SIGTERM: with meshaware (delay 3s) %d ok / %d failed;"
            + " with meshaware.shutdown.delay=0 %d ok / %d failed%n",
        meshaware.succeeded, meshaware.failed, noDelay.succeeded, noDelay.failed);

    assertThat(meshaware.failed).as(meshaware.result.toString()).isZero();
    assertThat(meshaware.succeeded).as("requests served after SIGTERM").isGreaterThan(100);
    assertThat(meshaware.result.exitCode()).isEqualTo(SIGTERM_STATUS);
    assertThat(meshaware.result.meshawareLines())
        .anySatisfy(l -> assertThat(l).startsWith("[meshaware] SIGTERM: draining"))
        .anySatisfy(l -> assertThat(l).contains("drained 3.", "no request in flight"))
        .anySatisfy(
            l -> assertThat(l).contains("not telling the proxy to quit: the JVM ends on SIGTERM"));
    assertThat(meshaware.result.jvmWarnings()).isEmpty();

    assertThat(noDelay.failed).as("without the delay the test must see failures").isPositive();
    assertThat(noDelay.result.exitCode()).isEqualTo(SIGTERM_STATUS);
  }

  /** Sends a request that takes {@code millis}, then SIGTERM 300 ms later; returns the status. */
  private static int requestInFlightAtSigterm(ChildJvm jvm, long millis, Result[] out)
      throws Exception {
    ChildJvm.Running child = jvm.start();
    try {
      int port = Integer.parseInt(child.awaitLine(DrainApp.PORT, CHILD_LIMIT));
      CompletableFuture<HttpResponse<String>> response =
          CLIENT.sendAsync(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/?ms=" + millis))
                  .timeout(Duration.ofSeconds(20))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      Thread.sleep(300);
      child.terminate();
      int status;
      try {
        status = response.get(20, TimeUnit.SECONDS).statusCode();
      } catch (Exception e) {
        status = -1;
      }
      out[0] = child.await(CHILD_LIMIT);
      return status;
    } finally {
      child.kill();
    }
  }

  @Test
  void aRequestInFlightAtSigtermCompletesDuringTheDelay() throws Exception {
    Result[] result = new Result[1];
    assertThat(requestInFlightAtSigterm(service("jdk"), 2000, result)).isEqualTo(200);
    assertThat(result[0].exitCode()).isEqualTo(SIGTERM_STATUS);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"jdk", "tomcat"})
  void aRequestOutlastingTheDelayIsDrained(String server) throws Exception {
    Result[] result = new Result[1];
    ChildJvm jvm =
        service(server)
            .property("meshaware.shutdown.delay", "0")
            .property("meshaware.shutdown.drain-timeout", "10s");
    assertThat(requestInFlightAtSigterm(jvm, 2000, result))
        .as(String.valueOf(result[0]))
        .isEqualTo(200);
    assertThat(result[0].meshawareLines())
        .anySatisfy(l -> assertThat(l).contains("waiting up to 10s for 1 request in flight"))
        .anySatisfy(l -> assertThat(l).contains("drained 1.", "no request in flight"));
    assertThat(result[0].exitCode()).isEqualTo(SIGTERM_STATUS);
  }

  @Test
  void withoutDelayAndDrainTheRequestInFlightIsLost() throws Exception {
    Result[] result = new Result[1];
    ChildJvm jvm =
        service("jdk")
            .property("meshaware.shutdown.delay", "0")
            .property("meshaware.shutdown.drain-timeout", "0");
    assertThat(requestInFlightAtSigterm(jvm, 2000, result)).as("the test can fail").isEqualTo(-1);
    assertThat(result[0].exitCode()).isEqualTo(SIGTERM_STATUS);
  }

  @Test
  void drainsWithHeaderForwardingSwitchedOff() throws Exception {
    Result[] result = new Result[1];
    ChildJvm jvm =
        service("jdk")
            .property("meshaware.propagation.enabled", "false")
            .property("meshaware.shutdown.delay", "0")
            .property("meshaware.shutdown.drain-timeout", "10s");
    assertThat(requestInFlightAtSigterm(jvm, 2000, result))
        .as(String.valueOf(result[0]))
        .isEqualTo(200);
    assertThat(result[0].meshawareLines())
        .anySatisfy(l -> assertThat(l).contains("waiting up to 10s for 1 request in flight"));
  }

  @ParameterizedTest(name = "then {0}")
  @ValueSource(strings = {"TERM", "INT"})
  void aSecondSignalDuringTheDelaySkipsTheRestOfTheWait(String second) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        !second.equals("INT") || sigintCanBeHandled(),
        "SIGINT is ignored in this process (started in the background): no JVM can take it,"
            + " with or without meshaware, and its children inherit that");
    ChildJvm.Running child = service("jdk").property("meshaware.shutdown.delay", "30s").start();
    try {
      child.awaitLine(DrainApp.PORT, CHILD_LIMIT);
      child.terminate();
      child.awaitLine("[meshaware] SIGTERM: draining", CHILD_LIMIT);
      Thread.sleep(500);
      long signalled = System.nanoTime();
      child.signal(second);
      Result result = child.await(CHILD_LIMIT);
      long tookMillis = (System.nanoTime() - signalled) / 1_000_000;

      assertThat(tookMillis).as("ended after the second signal").isLessThan(5000);
      assertThat(result.exitCode())
          .as("SIGTERM's status, as without the agent")
          .isEqualTo(SIGTERM_STATUS);
      assertThat(result.meshawareLines())
          .anySatisfy(
              l ->
                  assertThat(l)
                      .startsWith(
                          second.equals("TERM")
                              ? "[meshaware] second SIGTERM, 0."
                              : "[meshaware] SIGINT, 0.")
                      .contains("after the first SIGTERM: skipping the rest of the shutdown wait"))
          .anySatisfy(l -> assertThat(l).contains("wait cut short"));
    } finally {
      child.kill();
    }
  }

  /**
   * False when SIGINT was ignored when this JVM started: the JVM then installs no handler for it
   * (it answers that the previous handler is SIG_IGN), in this process and in its children.
   */
  private static boolean sigintCanBeHandled() {
    sun.misc.Signal interrupt = new sun.misc.Signal("INT");
    try {
      sun.misc.SignalHandler previous =
          sun.misc.Signal.handle(interrupt, sun.misc.SignalHandler.SIG_DFL);
      if (previous == sun.misc.SignalHandler.SIG_IGN) {
        return false;
      }
      sun.misc.Signal.handle(interrupt, previous);
      return true;
    } catch (IllegalArgumentException ignored) {
      return false;
    }
  }
}
