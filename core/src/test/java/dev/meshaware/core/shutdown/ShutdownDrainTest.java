package dev.meshaware.core.shutdown;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.config.ConfigSource;
import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.log.CapturedLog;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ShutdownDrainTest {
  private final CapturedLog log = new CapturedLog();
  private final AtomicInteger inflight = new AtomicInteger();

  @AfterEach
  void closeLog() {
    log.close();
  }

  private ShutdownDrain drain(long delayMillis, long drainMillis) {
    return new ShutdownDrain(
        Duration.ofMillis(delayMillis), Duration.ofMillis(drainMillis), inflight::get);
  }

  private static long millis(Runnable action) {
    long start = System.nanoTime();
    action.run();
    return (System.nanoTime() - start) / 1_000_000;
  }

  @Test
  void keepsServingForTheDelayThenHandsOverWhenNothingIsInFlight() {
    ShutdownDrain drain = drain(300, 5000);
    long took = millis(() -> assertThat(drain.terminate("SIGTERM")).isTrue());
    assertThat(took).isBetween(300L, 1500L);
    assertThat(ShutdownDrain.isDraining()).isTrue();
    assertThat(log.lines()).hasSize(2);
    assertThat(log.lines().get(0))
        .startsWith("[meshaware] SIGTERM: draining")
        .contains("300ms (meshaware.shutdown.delay)", "5s (meshaware.shutdown.drain-timeout)");
    assertThat(log.lines().get(1))
        .matches(
            "\\[meshaware\\] drained \\d+\\.\\d\\d s after SIGTERM, no request in flight: the JVM shuts"
                + " down now.*");
  }

  @Test
  void runsWhatComesFirstBeforeTheDelayAndSaysSo() {
    ShutdownDrain drain = drain(0, 0);
    AtomicInteger ranFirst = new AtomicInteger();
    assertThat(drain.begun()).isFalse();
    drain.terminate("SIGTERM", ranFirst::incrementAndGet, "readiness is REFUSING_TRAFFIC");
    assertThat(drain.begun()).isTrue();
    assertThat(ranFirst.get()).isEqualTo(1);
    assertThat(log.lines().get(0))
        .startsWith(
            "[meshaware] SIGTERM: draining; readiness is REFUSING_TRAFFIC; the application");
  }

  @Test
  void drainsAllTheSameWhenWhatComesFirstFails() {
    ShutdownDrain drain = drain(0, 0);
    assertThat(
            drain.terminate(
                "SIGTERM",
                () -> {
                  throw new IllegalStateException("context closed");
                },
                "readiness is REFUSING_TRAFFIC"))
        .isTrue();
    assertThat(log.lines()).hasSize(3);
    assertThat(log.lines().get(0))
        .startsWith(
            "[meshaware] WARNING SIGTERM: first step failed (readiness is REFUSING_TRAFFIC:")
        .contains("context closed", "draining all the same");
    assertThat(log.lines().get(1)).startsWith("[meshaware] SIGTERM: draining; the application");
  }

  @Test
  void waitsAfterTheDelayUntilTheLastRequestInFlightEnds() {
    inflight.set(2);
    CompletableFuture.runAsync(
        () -> inflight.set(0), CompletableFuture.delayedExecutor(600, TimeUnit.MILLISECONDS));
    long took = millis(() -> drain(100, 5000).terminate("SIGTERM"));
    // the release was scheduled just before the clock started: well past the 100 ms delay
    assertThat(took).isBetween(500L, 2000L);
    assertThat(log.lines()).hasSize(3);
    assertThat(log.lines().get(1)).contains("delay over after", "waiting up to 5s for 2 requests");
    assertThat(log.lines().get(2)).contains("no request in flight");
  }

  @Test
  void givesUpOnRequestsInFlightAtTheDrainTimeout() {
    inflight.set(1);
    long took = millis(() -> drain(100, 300).terminate("SIGTERM"));
    assertThat(took).isBetween(400L, 1500L);
    assertThat(log.lines().get(2))
        .contains("drain timeout", "1 request still in flight", "drain-timeout=300ms)");
  }

  @Test
  void aSecondSignalCutsTheWaitShortAndIsNotHandedOver() throws Exception {
    ShutdownDrain drain = drain(20_000, 20_000);
    CompletableFuture<Boolean> first =
        CompletableFuture.supplyAsync(() -> drain.terminate("SIGTERM"));
    Thread.sleep(300);
    assertThat(drain.terminate("SIGTERM")).as("second SIGTERM").isFalse();
    assertThat(first.get(2, TimeUnit.SECONDS)).as("first SIGTERM hands over").isTrue();
    assertThat(log.lines())
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("[meshaware] second SIGTERM, 0.")
                    .contains("skipping the rest of the shutdown wait"));
  }

  @Test
  void sigintCutsTheWaitShortOnlyOnceSigtermArrived() throws Exception {
    ShutdownDrain drain = drain(20_000, 0);
    assertThat(drain.hurry("SIGINT")).as("before SIGTERM: the JVM's own SIGINT").isFalse();
    CompletableFuture<Boolean> term =
        CompletableFuture.supplyAsync(() -> drain.terminate("SIGTERM"));
    Thread.sleep(300);
    assertThat(drain.hurry("SIGINT")).isTrue();
    assertThat(term.get(2, TimeUnit.SECONDS)).isTrue();
    assertThat(log.lines())
        .anySatisfy(l -> assertThat(l).startsWith("[meshaware] SIGINT, 0.").contains("skipping"))
        .anySatisfy(l -> assertThat(l).contains("wait cut short", "no request in flight"));
  }

  private static MeshawareSettings settings(Map<String, String> properties) {
    return MeshawareSettings.load(ConfigSource.of(properties, Map.of()));
  }

  @Test
  void appliesByDefaultOnlyWhereASidecarIsOrCouldBe() {
    assertThat(ShutdownDrain.from(settings(Map.of()), true)).isNotNull();
    assertThat(ShutdownDrain.from(settings(Map.of()), false)).isNull();
    assertThat(ShutdownDrain.from(settings(Map.of("meshaware.shutdown.delay", "2s")), false))
        .isNotNull();
    assertThat(
            ShutdownDrain.from(
                settings(
                    Map.of(
                        "meshaware.shutdown.delay", "0", "meshaware.shutdown.drain-timeout", "0")),
                true))
        .as("nothing to wait for")
        .isNull();
  }
}
