package dev.meshaware.core.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.log.CapturedLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RetriedRequestsTest {
  private final CapturedLog log = new CapturedLog();
  private final AtomicLong clock = new AtomicLong();

  @BeforeEach
  void on() {
    MeshDiagnostics.install("test", Duration.ofMinutes(1), clock::get);
  }

  @AfterEach
  void off() {
    MeshDiagnostics.uninstall();
    log.close();
  }

  @Test
  void aRetriedPostGetsOneLineAndEveryOneIsCounted() {
    List<String> told = new ArrayList<>();
    RetriedRequests.Listener listener = told::add;
    RetriedRequests.addListener(listener);
    try {
      RetriedRequests.seen("POST", "/orders?id=7&token=secret", "2", "req-1");
      RetriedRequests.seen("POST", "/orders", "3", "req-2");
    } finally {
      RetriedRequests.removeListener(listener);
    }

    assertThat(log.lines())
        .singleElement()
        .asString()
        .startsWith(
            "[meshaware] WARNING retried POST /orders: attempt 2 (x-envoy-attempt-count),"
                + " x-request-id req-1:")
        .contains("retries.retryOn")
        .doesNotContain("secret");
    assertThat(RetriedRequests.count("POST")).isEqualTo(2);
    assertThat(told).containsExactly("POST", "POST");

    clock.addAndGet(Duration.ofMinutes(1).toNanos());
    RetriedRequests.seen("POST", "/orders", "2", null);
    assertThat(log.lines().get(1)).contains("x-request-id (none)").contains("(1 more");
  }

  @Test
  void firstAttemptsOtherMethodsAndBadValuesAreIgnored() {
    assertThat(RetriedRequests.watches("GET")).isFalse();
    assertThat(RetriedRequests.watches("patch")).isTrue();
    RetriedRequests.seen("GET", "/orders", "2", "r");
    for (String bad : new String[] {null, "", "1", "0", "-2", "2.0", "x", "99999999999999", " "}) {
      RetriedRequests.seen("PATCH", "/orders/1", bad, "r");
    }
    assertThat(log.lines()).isEmpty();
    assertThat(RetriedRequests.count("PATCH")).isZero();
    assertThat(RetriedRequests.count("GET")).isZero();
  }

  @Test
  void theCallersTextCannotBreakTheLine() {
    RetriedRequests.seen("PATCH", "/a\r\n[meshaware] forged", " 2 ", "id\nx");
    assertThat(log.lines())
        .singleElement()
        .asString()
        .contains("PATCH /a  [meshaware] forged: attempt 2")
        .contains("x-request-id id x:");
    assertThat(RetriedRequests.quoted("x".repeat(500))).hasSize(RetriedRequests.MAX_QUOTED + 3);
  }

  @Test
  void offCountsNothing() {
    MeshDiagnostics.uninstall();
    assertThat(RetriedRequests.watches("POST")).isFalse();
    RetriedRequests.seen("POST", "/orders", "2", "r");
    assertThat(RetriedRequests.count("POST")).isZero();
    assertThat(log.lines()).isEmpty();
  }
}
