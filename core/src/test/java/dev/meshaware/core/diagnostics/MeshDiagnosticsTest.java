package dev.meshaware.core.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.config.ConfigSource;
import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.log.CapturedLog;
import dev.meshaware.core.propagation.CurrentHeaders;
import dev.meshaware.core.propagation.HeaderPolicy;
import dev.meshaware.core.propagation.Propagation;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MeshDiagnosticsTest {
  private final AtomicLong now = new AtomicLong();

  @BeforeEach
  void install() {
    MeshDiagnostics.uninstall();
    MeshDiagnostics.install("test", Duration.ofMinutes(1), now::get);
  }

  @AfterEach
  void uninstall() {
    MeshDiagnostics.uninstall();
  }

  private static OutboundExchange noHealthyUpstream(String url, String requestId) {
    OutboundExchange exchange = MeshDiagnostics.response("okhttp", 503);
    exchange.request("GET", url, requestId);
    exchange.header("server", "envoy").header("content-length", "19");
    return exchange.body("no healthy upstream");
  }

  @Test
  void makesNothingForAStatusNoSidecarSends() {
    assertThat(MeshDiagnostics.response("okhttp", 200)).isNull();
    assertThat(MeshDiagnostics.response("okhttp", 500)).isNull();
    assertThat(MeshDiagnostics.response("okhttp", 503)).isNotNull();
  }

  @Test
  void doesNothingWhenOff() {
    MeshDiagnostics.uninstall();
    assertThat(MeshDiagnostics.response("okhttp", 503)).isNull();
    assertThat(MeshDiagnostics.failure("okhttp", new SocketException("Connection reset"))).isNull();
    assertThat(MeshDiagnostics.isActive()).isFalse();
  }

  @Test
  void logsOneLineWithMethodUrlStatusCauseOriginHintAndRequestId() {
    try (CapturedLog log = new CapturedLog()) {
      MeshDiagnostics.record(
          noHealthyUpstream("http://user:secret@reviews:9080/reviews/1?token=abc#x", "req-1"));
      assertThat(log.lines()).hasSize(1);
      assertThat(log.lines().get(0))
          .startsWith("[meshaware] WARNING mesh failure UH (no healthy upstream) from this pod's")
          .contains("GET http://reviews:9080/reviews/1 -> 503")
          .contains("Envoy's body \"no healthy upstream\"")
          .contains("x-request-id=req-1")
          .contains("hint: likely no ready endpoint")
          .doesNotContain("token", "secret", "#x");
    }
  }

  @Test
  void thousandIdenticalFailuresGiveOneLineAndTheNextLineCountsTheRest() {
    List<MeshFailure> heard = new CopyOnWriteArrayList<>();
    MeshFailureListener listener = heard::add;
    MeshDiagnostics.addListener(listener);
    try (CapturedLog log = new CapturedLog()) {
      for (int i = 0; i < 1000; i++) {
        now.addAndGet(Duration.ofMillis(10).toNanos());
        MeshDiagnostics.record(noHealthyUpstream("http://reviews:9080/r/" + i, "req-" + i));
      }
      assertThat(log.lines()).hasSize(1);
      now.addAndGet(Duration.ofSeconds(60).toNanos());
      MeshDiagnostics.record(noHealthyUpstream("http://reviews:9080/r/last", "req-last"));
      assertThat(log.lines()).hasSize(2);
      assertThat(log.lines().get(1))
          .contains("x-request-id=req-last")
          .endsWith("[999 more failures like this in the previous 69 s not logged]");
    } finally {
      MeshDiagnostics.removeListener(listener);
    }
    assertThat(heard).hasSize(1001);
    assertThat(MeshDiagnostics.counters().total()).isEqualTo(1001);
    assertThat(MeshDiagnostics.counters().snapshot())
        .extracting(FailureCount::toString)
        .containsExactly("UH reviews = 1001");
  }

  @Test
  void tenThousandDistinctFailingHostsKeepCountersAndRepeatLimitBounded() {
    int hosts = 10_000;
    try (CapturedLog log = new CapturedLog()) {
      for (int i = 0; i < hosts; i++) {
        now.addAndGet(Duration.ofMillis(1).toNanos());
        MeshDiagnostics.record(noHealthyUpstream("http://tenant-" + i + ".example:8080/x", null));
      }
      List<FailureCount> counts = MeshDiagnostics.counters().snapshot();
      assertThat(counts).hasSize(MeshFailureCounters.MAX_HOSTS + 1);
      assertThat(MeshDiagnostics.counters().total()).isEqualTo(hosts);
      assertThat(counts)
          .filteredOn(count -> count.host().equals(MeshFailureCounters.OTHER_HOSTS))
          .singleElement()
          .satisfies(
              other -> assertThat(other.count()).isEqualTo(hosts - MeshFailureCounters.MAX_HOSTS));
      assertThat(MeshDiagnostics.repeatLimitKeys()).isLessThanOrEqualTo(RepeatLimiter.MAX_KEYS + 1);
      // Lines: one per key while keys last, then one for all the others per interval.
      assertThat(log.lines()).hasSizeLessThanOrEqualTo(RepeatLimiter.MAX_KEYS + 1);
    }
  }

  @Test
  void otherHostsAndCausesGetTheirOwnLine() {
    try (CapturedLog log = new CapturedLog()) {
      MeshDiagnostics.record(noHealthyUpstream("http://reviews:9080/", null));
      MeshDiagnostics.record(noHealthyUpstream("http://ratings:9080/", null));
      MeshDiagnostics.record(
          MeshDiagnostics.failure("okhttp", new SocketException("Connection reset"))
              .request("POST", "http://reviews:9080/x", null));
      assertThat(log.lines()).hasSize(3);
      assertThat(log.lines().get(2))
          .contains("mesh failure mTLS-likely")
          .contains(
              "POST http://reviews:9080/x -> no HTTP answer (SocketException: Connection reset)")
          .contains("x-request-id=(none)");
    }
  }

  @Test
  void takesTheRequestIdOfTheRequestBeingServedWhenTheCallHasNone() {
    HeaderPolicy policy =
        HeaderPolicy.from(MeshawareSettings.load(ConfigSource.of(Map.of(), Map.of())));
    Propagation.install(policy);
    String[] raw = new String[policy.nameCount()];
    raw[0] = "inbound-id";
    try (CapturedLog log = new CapturedLog();
        CurrentHeaders.Scope scope = CurrentHeaders.open(policy.capture(raw))) {
      MeshDiagnostics.record(noHealthyUpstream("http://reviews:9080/", null));
      assertThat(log.lines().get(0)).contains("x-request-id=inbound-id");
    } finally {
      Propagation.install(null);
    }
  }

  @Test
  void aFailingListenerOrAnAppAnswerChangesNothing() {
    MeshFailureListener broken =
        failure -> {
          throw new IllegalStateException("listener bug");
        };
    MeshDiagnostics.addListener(broken);
    try (CapturedLog log = new CapturedLog()) {
      OutboundExchange app = MeshDiagnostics.response("okhttp", 503);
      app.request("GET", "http://reviews:9080/", null)
          .header("x-envoy-upstream-service-time", "4")
          .header("content-type", "application/json")
          .body("{\"status\":\"down\"}");
      assertThat(MeshDiagnostics.record(app)).isSameAs(Diagnosis.NOT_FROM_MESH);
      assertThat(MeshDiagnostics.record(noHealthyUpstream("http://reviews:9080/", null)).cause())
          .isEqualTo(MeshCause.UH);
      assertThat(log.lines()).hasSize(1);
    } finally {
      MeshDiagnostics.removeListener(broken);
    }
  }

  @Test
  void isInstalledOnceAndFromSettings() {
    MeshDiagnostics.uninstall();
    MeshawareSettings off =
        MeshawareSettings.load(
            ConfigSource.of(Map.of("meshaware.diagnostics.enabled", "false"), Map.of()));
    assertThat(MeshDiagnostics.install("agent", off)).isFalse();
    MeshawareSettings on =
        MeshawareSettings.load(
            ConfigSource.of(Map.of("meshaware.diagnostics.repeat-interval", "5s"), Map.of()));
    assertThat(MeshDiagnostics.install("agent", on)).isTrue();
    assertThat(MeshDiagnostics.install("starter", on)).isTrue();
    assertThat(MeshDiagnostics.installedBy()).isEqualTo("agent");
    assertThat(MeshDiagnostics.repeatInterval()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void peeksOnlyAtShortPlainTextBodies() {
    OutboundExchange envoy =
        MeshDiagnostics.response("okhttp", 503)
            .header("content-type", "text/plain")
            .header("content-length", "19");
    assertThat(envoy.wantsBody()).isTrue();
    assertThat(envoy.bodyPeekBytes()).isEqualTo(19);
    assertThat(
            MeshDiagnostics.response("okhttp", 503)
                .header("content-type", "application/json")
                .header("content-length", "19")
                .wantsBody())
        .isFalse();
    assertThat(MeshDiagnostics.response("okhttp", 503).wantsBody()).as("unknown length").isFalse();
    assertThat(
            MeshDiagnostics.response("okhttp", 503).header("content-length", "100000").wantsBody())
        .isFalse();
  }
}
