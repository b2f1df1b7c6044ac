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

  private final FakeClock clock = new FakeClock();

  private ShutdownDrain drain(long delayMillis, long drainMillis) {
    return new ShutdownDrain(
        Duration.ofMillis(delayMillis), Duration.ofMillis(drainMillis), inflight::get, clock);
  }

  /** How long {@code action} took on the test's clock, in milliseconds. */
  private long millis(Runnable action) {
    long start = clock.nanoTime();
    action.run();
    return (clock.nanoTime() - start) / 1_000_000;
  }

  /**
   * A clock that moves only while the drain waits, by exactly the time it waits, unless the latch
   * is open or a step planned for that moment ends the wait early.
   */
  static final class FakeClock implements DrainClock {
    private long now = 1_000_000_000L;
    private final java.util.TreeMap<Long, Runnable> planned = new java.util.TreeMap<>();

    /** Runs {@code step} once the clock reaches {@code millis} from now. */
    void at(long millis, Runnable step) {
      planned.put(now + TimeUnit.MILLISECONDS.toNanos(millis), step);
    }

    @Override
    public synchronized long nanoTime() {
      return now;
    }

    @Override
    public boolean await(java.util.concurrent.CountDownLatch latch, long nanos)
        throws InterruptedException {
      long until;
      synchronized (this) {
        until = now + nanos;
        java.util.Map.Entry<Long, Runnable> next = planned.firstEntry();
        if (next != null && next.getKey() <= until) {
          planned.remove(next.getKey());
          now = next.getKey();
          next.getValue().run();
          return latch.getCount() == 0;
        }
      }
      if (latch.await(0, TimeUnit.NANOSECONDS)) {
        return true;
      }
      synchronized (this) {
        now = until;
      }
      return latch.getCount() == 0;
    }
  }

  @Test
  void keepsServingForTheDelayThenHandsOverWhenNothingIsInFlight() {
    ShutdownDrain drain = drain(300, 5000);
    long took = millis(() -> assertThat(drain.terminate("SIGTERM")).isTrue());
    assertThat(took).isEqualTo(300L);
    assertThat(ShutdownDrain.isDraining()).isTrue();
    assertThat(log.lines()).hasSize(2);
    assertThat(log.lines().get(0))
        .startsWith("[meshaware] SIGTERM: draining")
        .contains("300ms (meshaware.shutdown.delay)", "5s (meshaware.shutdown.drain-timeout)");
    assertThat(log.lines().get(1))
        .matches(
            "\\[meshaware\\] drained 0\\.30 s after SIGTERM, no request in flight: the JVM shuts"
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
    clock.at(600, () -> inflight.set(0));
    long took = millis(() -> drain(100, 5000).terminate("SIGTERM"));
    // the drain polls every POLL_MILLIS: it sees the last request end at the first poll after it
    assertThat(took).isBetween(600L, 600L + ShutdownDrain.POLL_MILLIS);
    assertThat(log.lines()).hasSize(3);
    assertThat(log.lines().get(1))
        .contains("delay over after 0.10 s", "waiting up to 5s for 2 requests");
    assertThat(log.lines().get(2)).contains("no request in flight");
  }

  @Test
  void givesUpOnRequestsInFlightAtTheDrainTimeout() {
    inflight.set(1);
    long took = millis(() -> drain(100, 300).terminate("SIGTERM"));
    assertThat(took).isEqualTo(400L);
    assertThat(log.lines().get(2))
        .contains("drain timeout", "1 request still in flight", "drain-timeout=300ms)");
  }

  /** A clock the test moves by hand, while waits really wait (for a second signal). */
  static final class HandClock implements DrainClock {
    volatile long now = 5_000_000_000L;

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public boolean await(java.util.concurrent.CountDownLatch latch, long nanos)
        throws InterruptedException {
      return latch.await(nanos, TimeUnit.NANOSECONDS);
    }
  }

  private final HandClock hand = new HandClock();

  private ShutdownDrain handDrain(long delayMillis, long drainMillis) {
    return new ShutdownDrain(
        Duration.ofMillis(delayMillis), Duration.ofMillis(drainMillis), inflight::get, hand);
  }

  /** Waits until the drain's first line is out: it is waiting. */
  private void awaitDraining() throws InterruptedException {
    for (int i = 0; i < 2000 && log.lines().stream().noneMatch(l -> l.contains("draining")); i++) {
      Thread.sleep(5);
    }
  }

  @Test
  void aSecondSignalCutsTheWaitShortAndIsNotHandedOver() throws Exception {
    ShutdownDrain drain = handDrain(20_000, 20_000);
    CompletableFuture<Boolean> first =
        CompletableFuture.supplyAsync(() -> drain.terminate("SIGTERM"));
    awaitDraining();
    hand.now += TimeUnit.MILLISECONDS.toNanos(300);
    assertThat(drain.terminate("SIGTERM")).as("second SIGTERM").isFalse();
    assertThat(first.get(20, TimeUnit.SECONDS)).as("first SIGTERM hands over").isTrue();
    assertThat(log.lines())
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("[meshaware] second SIGTERM, 0.30 s after the first SIGTERM")
                    .contains("skipping the rest of the shutdown wait"));
  }

  @Test
  void sigintCutsTheWaitShortOnlyOnceSigtermArrived() throws Exception {
    ShutdownDrain drain = handDrain(20_000, 0);
    assertThat(drain.hurry("SIGINT")).as("before SIGTERM: the JVM's own SIGINT").isFalse();
    CompletableFuture<Boolean> term =
        CompletableFuture.supplyAsync(() -> drain.terminate("SIGTERM"));
    awaitDraining();
    hand.now += TimeUnit.MILLISECONDS.toNanos(300);
    assertThat(drain.hurry("SIGINT")).isTrue();
    assertThat(term.get(20, TimeUnit.SECONDS)).isTrue();
    assertThat(log.lines())
        .anySatisfy(
            l -> assertThat(l).startsWith("[meshaware] SIGINT, 0.30 s after").contains("skipping"))
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
