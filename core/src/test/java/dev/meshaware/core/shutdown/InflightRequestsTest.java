package dev.meshaware.core.shutdown;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.config.ConfigSource;
import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.propagation.CurrentHeaders;
import dev.meshaware.core.propagation.HeaderPolicy;
import dev.meshaware.core.propagation.Propagation;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The count comes from the inbound entry points: one per top-level request, whatever nests. */
class InflightRequestsTest {
  private HeaderPolicy previous;

  @BeforeEach
  void install() {
    previous = Propagation.policy();
    Propagation.install(
        HeaderPolicy.from(MeshawareSettings.load(ConfigSource.of(Map.of(), Map.of()))));
    InflightRequests.enable();
  }

  @AfterEach
  void restore() {
    Propagation.install(previous);
  }

  private static String[] raw(String requestId) {
    String[] raw = new String[Propagation.policy().nameCount()];
    raw[Propagation.policy().names().indexOf("x-request-id")] = requestId;
    return raw;
  }

  @Test
  void countsARequestWhileItsOutermostScopeIsOpen() {
    int before = InflightRequests.count();
    Object request = new Object();
    CurrentHeaders.Scope outer = Propagation.enterInbound(raw("r1"), request);
    assertThat(InflightRequests.count()).isEqualTo(before + 1);
    CurrentHeaders.Scope nested = Propagation.enterInbound(raw("r1"), request);
    CurrentHeaders.Scope nestedWithoutHeaders = Propagation.enterInbound(raw(null), new Object());
    assertThat(InflightRequests.count()).as("nested entry points").isEqualTo(before + 1);
    Propagation.exitInbound(nestedWithoutHeaders);
    Propagation.exitInbound(nested);
    assertThat(InflightRequests.count()).isEqualTo(before + 1);
    Propagation.exitInbound(outer);
    assertThat(InflightRequests.count()).isEqualTo(before);
    outer.close();
    assertThat(InflightRequests.count()).as("closing twice").isEqualTo(before);
  }

  @Test
  void countsRequestsWithoutTraceHeadersAndThoseOfTheCountingOnlyPolicy() {
    int before = InflightRequests.count();
    CurrentHeaders.Scope plain = Propagation.enterInbound(raw(null), new Object());
    assertThat(InflightRequests.count()).isEqualTo(before + 1);
    Propagation.exitInbound(plain);

    Propagation.install(HeaderPolicy.none());
    CurrentHeaders.Scope counted = Propagation.enterInbound(new String[0], new Object());
    assertThat(InflightRequests.count()).isEqualTo(before + 1);
    assertThat(CurrentHeaders.get()).as("nothing captured, nothing forwarded").isNull();
    Propagation.exitInbound(counted);
    assertThat(InflightRequests.count()).isEqualTo(before);
  }

  @Test
  void countsRequestsOnOtherThreadsApart() throws Exception {
    int before = InflightRequests.count();
    CurrentHeaders.Scope here = Propagation.enterInbound(raw("a"), new Object());
    Thread other =
        new Thread(
            () -> {
              CurrentHeaders.Scope there = Propagation.enterInbound(raw("b"), new Object());
              assertThat(InflightRequests.count()).isEqualTo(before + 2);
              Propagation.exitInbound(there);
            });
    other.start();
    other.join();
    assertThat(InflightRequests.count()).isEqualTo(before + 1);
    Propagation.exitInbound(here);
  }

  @Test
  void countsARequestStartedOnOneThreadAndFinishedOnAnother() throws Exception {
    int before = InflightRequests.count();
    assertThat(InflightRequests.begin()).isTrue();
    assertThat(InflightRequests.count()).isEqualTo(before + 1);
    CurrentHeaders.Scope sameThread = Propagation.enterInbound(raw("a"), new Object());
    assertThat(InflightRequests.count())
        .as("a thread-bound request beside it")
        .isEqualTo(before + 2);
    Propagation.exitInbound(sameThread);
    Thread other = new Thread(InflightRequests::end);
    other.start();
    other.join();
    assertThat(InflightRequests.count()).isEqualTo(before);
  }

  @Test
  void aRequestBegunOnOneThreadCountsOnceUntilItEndsWhicheverThreadsServeIt() throws Exception {
    int before = InflightRequests.count();
    Object exchange = new Object();
    assertThat(InflightRequests.begin()).isTrue();
    CurrentHeaders.Scope io = Propagation.enterCaptured(null, null);
    CurrentHeaders.Scope servlet = Propagation.enterInbound(raw(null), exchange);
    assertThat(InflightRequests.count()).as("a nested entry point").isEqualTo(before + 1);
    Propagation.exitInbound(servlet);
    Propagation.exitInbound(io);
    assertThat(InflightRequests.count()).as("between threads").isEqualTo(before + 1);
    Thread worker =
        new Thread(
            () -> {
              CurrentHeaders.Scope there = Propagation.enterCaptured(null, null);
              Propagation.exitInbound(Propagation.enterInbound(raw("w"), exchange));
              assertThat(InflightRequests.count()).isEqualTo(before + 1);
              Propagation.exitInbound(there);
            });
    worker.start();
    worker.join();
    assertThat(InflightRequests.count()).isEqualTo(before + 1);
    InflightRequests.end();
    assertThat(InflightRequests.count()).isEqualTo(before);

    CurrentHeaders.Scope next = Propagation.enterInbound(raw(null), new Object());
    assertThat(InflightRequests.count())
        .as("the thread is not left marked: its next request counts")
        .isEqualTo(before + 1);
    Propagation.exitInbound(next);
  }
}
