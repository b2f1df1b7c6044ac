package dev.meshaware.core.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RepeatLimiterTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final RepeatLimiter limiter = new RepeatLimiter(Duration.ofMinutes(1), now::get);

  @Test
  void letsTheFirstLineThroughAndHoldsBackRepeatsWithinTheInterval() {
    RepeatLimiter.Released first = limiter.acquire("UH reviews");
    assertThat(first).isNotNull();
    assertThat(first.suppressed()).isZero();
    for (int i = 1; i < 1000; i++) {
      now.addAndGet(Duration.ofMillis(50).toNanos());
      assertThat(limiter.acquire("UH reviews")).isNull();
    }
  }

  @Test
  void theNextLineAfterTheIntervalCountsWhatWasHeldBack() {
    limiter.acquire("UH reviews");
    for (int i = 1; i < 1000; i++) {
      limiter.acquire("UH reviews");
    }
    now.addAndGet(Duration.ofSeconds(61).toNanos());
    RepeatLimiter.Released next = limiter.acquire("UH reviews");
    assertThat(next.suppressed()).isEqualTo(999);
    assertThat(next.sinceNanos()).isEqualTo(Duration.ofSeconds(61).toNanos());
    now.addAndGet(Duration.ofSeconds(61).toNanos());
    assertThat(limiter.acquire("UH reviews").suppressed()).isZero();
  }

  @Test
  void keysAreIndependent() {
    assertThat(limiter.acquire("UH reviews")).isNotNull();
    assertThat(limiter.acquire("UH ratings")).isNotNull();
    assertThat(limiter.acquire("NR reviews")).isNotNull();
    assertThat(limiter.acquire("UH reviews")).isNull();
  }

  @Test
  void boundsTheNumberOfKeys() {
    for (int i = 0; i < RepeatLimiter.MAX_KEYS; i++) {
      assertThat(limiter.acquire("UH host-" + i)).isNotNull();
    }
    // Past the bound, new keys share one window: the first line passes, the next are held.
    assertThat(limiter.acquire("UH one-more")).isNotNull();
    assertThat(limiter.acquire("UH yet-another")).isNull();
    // Once the interval has passed, idle keys are dropped and new keys get their own again.
    now.addAndGet(Duration.ofMinutes(2).toNanos());
    assertThat(limiter.acquire("UH fresh")).isNotNull();
    assertThat(limiter.acquire("UH fresh-too")).isNotNull();
  }
}
