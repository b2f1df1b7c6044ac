package dev.meshaware.core.shutdown;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JvmEndingTest {

  @Test
  void theLastThreadEndingAfterMainReturnedIsClean() {
    JvmEnding ending = JvmEnding.fresh();
    ending.watchMainThread();
    ending.onLastThread();
    assertThat(ending.endsCleanly()).isTrue();
    assertThat(ending.describe()).contains("main returned", "exit status 0");
    assertThat(ending.shutdownBegan()).isPositive();
  }

  @Test
  void mainFailingMeansStatusOne() {
    JvmEnding ending = JvmEnding.fresh();
    ending.watchMainThread();
    ending.mainThreadFailed();
    ending.onLastThread();
    assertThat(ending.endsCleanly()).isFalse();
    assertThat(ending.describe()).contains("uncaught exception", "exit status 1");
  }

  @Test
  void anUnwatchedMainIsNotAssumedToHaveSucceeded() {
    JvmEnding ending = JvmEnding.fresh();
    ending.onLastThread();
    assertThat(ending.endsCleanly()).isFalse();
  }

  @Test
  void systemExitDecidesByItsStatus() {
    JvmEnding zero = JvmEnding.fresh();
    zero.onExit(0);
    assertThat(zero.endsCleanly()).isTrue();
    JvmEnding one = JvmEnding.fresh();
    one.watchMainThread();
    one.onExit(1);
    assertThat(one.endsCleanly()).isFalse();
    assertThat(one.describe()).isEqualTo("the JVM exits with status 1");
  }

  @Test
  void sigtermIsNeverClean() {
    JvmEnding ending = JvmEnding.fresh();
    ending.termReceived();
    ending.onExit(0);
    assertThat(ending.endsCleanly()).isFalse();
    assertThat(ending.describe()).isEqualTo("the JVM ends on SIGTERM");
  }

  @Test
  void exitsWithDifferentStatusesAreUnknown() {
    JvmEnding ending = JvmEnding.fresh();
    ending.onExit(0);
    ending.onExit(0);
    assertThat(ending.endsCleanly()).isTrue();
    ending.onExit(3);
    assertThat(ending.endsCleanly()).isFalse();
  }

  @Test
  void anUnobservedEndIsUnknown() {
    JvmEnding ending = JvmEnding.fresh();
    ending.watchMainThread();
    assertThat(ending.endsCleanly()).isFalse();
    assertThat(ending.describe()).contains("unknown");
  }
}
