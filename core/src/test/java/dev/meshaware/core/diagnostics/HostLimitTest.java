package dev.meshaware.core.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class HostLimitTest {

  @Test
  void theFirstHostsKeepTheirNamesLaterOnesShareOne() {
    HostLimit limit = new HostLimit(2);
    assertThat(limit.admit("reviews")).isEqualTo("reviews");
    assertThat(limit.admit("ratings")).isEqualTo("ratings");
    assertThat(limit.admit("details")).isEqualTo(HostLimit.OTHER_HOSTS);
    assertThat(limit.admit("reviews")).as("admitted stays admitted").isEqualTo("reviews");
    assertThat(limit.size()).isEqualTo(2);
  }

  @Test
  void staysExactWhenManyThreadsMeetNewHostsAtOnce() throws Exception {
    HostLimit limit = new HostLimit(100);
    Set<String> named = ConcurrentHashMap.newKeySet();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int offset = t * 10_000;
      Thread thread =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < 1_000; i++) {
                  named.add(limit.admit("host-" + (offset + i)));
                }
              });
      thread.start();
      threads.add(thread);
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(limit.size()).isEqualTo(100);
    assertThat(named).hasSize(101).contains(HostLimit.OTHER_HOSTS);
  }

  @Test
  void refusesALimitBelowOne() {
    assertThatThrownBy(() -> new HostLimit(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a host limit must be at least 1, not 0");
  }
}
