package dev.meshaware.core.shutdown;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.log.CapturedLog;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Taking and giving back SIGTERM in this JVM, without sending a signal (the child-JVM tests of the
 * agent and the starter send real ones).
 */
class TermSignalTest {
  private static final Signal TERM = new Signal("TERM");

  /** The handler SIGTERM has now (put straight back). */
  private static SignalHandler current() {
    SignalHandler now = Signal.handle(TERM, SignalHandler.SIG_DFL);
    Signal.handle(TERM, now);
    return now;
  }

  @Test
  void oneTakerPerJvmAndReleaseGivesSigtermBack() {
    ShutdownDrain drain = new ShutdownDrain(Duration.ofSeconds(1), Duration.ZERO, () -> 0);
    try (CapturedLog log = new CapturedLog()) {
      TermSignal taken = TermSignal.take(drain, () -> {}, "", "the delay is off");
      assertThat(taken).isNotNull();
      assertThat(TermSignal.taken()).isTrue();
      assertThat(current()).isInstanceOf(TermSignalHandler.class);
      assertThat(InflightRequests.isEnabled()).as("the drain waits for them").isTrue();

      assertThat(TermSignal.take(drain, () -> {}, "", "the delay is off"))
          .as("a second taker in the same JVM")
          .isNull();

      taken.release();
      assertThat(TermSignal.taken()).isFalse();
      assertThat(current()).isNotInstanceOf(TermSignalHandler.class);
      assertThat(log.lines()).as("taking and giving back say nothing").isEmpty();
    }
  }
}
