package dev.meshaware.agent.shutdown;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.meshaware.agent.apps.JobApp;
import dev.meshaware.agent.testing.ChildJvm;
import dev.meshaware.agent.testing.Result;
import dev.meshaware.core.testing.FakeSidecar;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Jobs in a pod with a sidecar (WireMock): the proxy is told to quit only after a clean end, and
 * only after the application's own shutdown hook made its outbound call.
 */
class ShutdownQuitIT {
  private static final Duration CHILD_LIMIT = Duration.ofSeconds(60);
  private static final String HOOK_PATH = "/app-hook";
  private static final List<String> HOOK_THEN_QUIT =
      List.of("GET " + HOOK_PATH, "POST " + FakeSidecar.QUIT_PATH);
  private static final List<String> HOOK_ONLY = List.of("GET " + HOOK_PATH);
  private static FakeSidecar sidecar;

  @BeforeAll
  static void startSidecar() {
    sidecar = new FakeSidecar();
  }

  @AfterAll
  static void stopSidecar() {
    sidecar.close();
  }

  @BeforeEach
  void answer() {
    sidecar.reset();
    sidecar.answer(200);
    sidecar.answerQuit(200);
    sidecar.server().stubFor(get(HOOK_PATH).willReturn(aResponse().withStatus(200)));
  }

  private static ChildJvm job(String end) {
    return ChildJvm.running(JobApp.class)
        .inKubernetes()
        .property("meshaware.startup.ready-url", sidecar.readyUrl())
        .property("meshaware.shutdown.quit-url", sidecar.quitUrl())
        .property("app.hookUrl", sidecar.url(HOOK_PATH))
        .property("app.end", end);
  }

  /** What the sidecar received after readiness, oldest first: {@code POST /quitquitquit}... */
  private static List<String> receivedAfterReadiness() {
    List<String> received = new ArrayList<>();
    for (ServeEvent event : sidecar.server().getAllServeEvents()) {
      String url = event.getRequest().getUrl();
      if (!url.equals(FakeSidecar.READY_PATH)) {
        received.add(0, event.getRequest().getMethod() + " " + url);
      }
    }
    return received;
  }

  /** Runs a job that ends by {@code System.exit} once the exit watch is in place. */
  private static Result exitOnceWatched(ChildJvm jvm) throws Exception {
    ChildJvm.Running child = jvm.property("meshaware.debug", "true").start();
    try {
      child.awaitLine("[meshaware] DEBUG in effect: java.lang.Shutdown", CHILD_LIMIT);
      try (OutputStream in = child.process().getOutputStream()) {
        in.write("go\n".getBytes(StandardCharsets.UTF_8));
      }
      return child.await(CHILD_LIMIT);
    } finally {
      child.kill();
    }
  }

  @Test
  void aJobReturningFromMainQuitsTheProxyAfterItsOwnShutdownHook() throws Exception {
    Result result = job("return").run(CHILD_LIMIT);

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.lines()).contains(JobApp.HOOK_CALLED + "200");
    assertThat(receivedAfterReadiness()).as(result.toString()).isEqualTo(HOOK_THEN_QUIT);
    assertThat(result.meshawareLines())
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("application shutdown hooks done")
                    .contains("main returned and the last thread ended (exit status 0)")
                    .contains(
                        "told the proxy to quit (POST " + sidecar.quitUrl() + " -> HTTP 200"));
    assertThat(result.jvmWarnings()).isEmpty();
  }

  @Test
  void aJobCallingSystemExitZeroQuitsTheProxy() throws Exception {
    Result result = exitOnceWatched(job("exit0"));
    assertThat(result.exitCode()).isZero();
    assertThat(receivedAfterReadiness()).as(result.toString()).isEqualTo(HOOK_THEN_QUIT);
  }

  @Test
  void aJobExitingSoonAfterTheGateWaitedIsWatchedAndQuitsTheProxy() throws Exception {
    // The sidecar is ready 700 ms after the job starts: the gate waits and meshaware prepares
    // its instrumentation meanwhile; that work must not hold the JVM's exit watch up.
    sidecar.answer(503);
    Thread ready =
        new Thread(
            () -> {
              try {
                Thread.sleep(700);
                sidecar.answer(200);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    ready.start();
    Result result =
        job("exit0soon")
            .property("meshaware.startup.mode", "always")
            .property("app.exitAfterMs", "400")
            .run(CHILD_LIMIT);
    ready.join();

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.meshawareLines()).anySatisfy(l -> assertThat(l).contains("sidecar ready"));
    assertThat(receivedAfterReadiness()).as(result.toString()).isEqualTo(HOOK_THEN_QUIT);
  }

  @Test
  void aJobExitingWithStatusOneLeavesTheProxyRunning() throws Exception {
    Result result = exitOnceWatched(job("exit1"));
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(receivedAfterReadiness()).as(result.toString()).isEqualTo(HOOK_ONLY);
    assertThat(result.meshawareLines())
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("not telling the proxy to quit: the JVM exits with status 1"));
  }

  @Test
  void aJobWhoseMainThrowsLeavesTheProxyRunningAndPrintsAsWithoutTheAgent() throws Exception {
    Result result = job("throw").run(CHILD_LIMIT);
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.lines())
        .contains("Exception in thread \"main\" java.lang.IllegalStateException: job failed");
    assertThat(receivedAfterReadiness()).as(result.toString()).isEqualTo(HOOK_ONLY);
    assertThat(result.meshawareLines())
        .anySatisfy(l -> assertThat(l).contains("main ended with an uncaught exception"));
  }

  @Test
  void sigtermLeavesTheProxyRunningUnderAuto() throws Exception {
    ChildJvm.Running child = job("wait").property("meshaware.shutdown.delay", "0").start();
    try {
      child.awaitLine(JobApp.WORKING, CHILD_LIMIT);
      child.terminate();
      Result result = child.await(CHILD_LIMIT);
      assertThat(result.exitCode()).isEqualTo(143);
      assertThat(receivedAfterReadiness()).as(result.toString()).isEqualTo(HOOK_ONLY);
    } finally {
      child.kill();
    }
  }

  @Test
  void alwaysQuitsAfterTheHooksEvenOnSigterm() throws Exception {
    ChildJvm.Running child =
        job("wait")
            .property("meshaware.shutdown.delay", "0")
            .property("meshaware.shutdown.quit-proxy", "always")
            .start();
    try {
      child.awaitLine(JobApp.WORKING, CHILD_LIMIT);
      child.terminate();
      Result result = child.await(CHILD_LIMIT);
      assertThat(result.exitCode()).isEqualTo(143);
      assertThat(receivedAfterReadiness()).as(result.toString()).isEqualTo(HOOK_THEN_QUIT);
    } finally {
      child.kill();
    }
  }

  @Test
  void neverLeavesTheProxyRunning() throws Exception {
    Result result =
        job("return").property("meshaware.shutdown.quit-proxy", "never").run(CHILD_LIMIT);
    assertThat(result.exitCode()).isZero();
    assertThat(receivedAfterReadiness()).as(result.toString()).isEqualTo(HOOK_ONLY);
    assertThat(result.meshawareLines()).noneMatch(l -> l.contains("quit"));
  }
}
