package dev.meshaware.core.bind;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.log.CapturedLog;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KeepAliveCheckTest {
  private final CapturedLog log = new CapturedLog();

  @AfterEach
  void off() {
    KeepAliveCheck.install(null);
    log.close();
  }

  @Test
  void aServerThatClosesBeforeTheSidecarGetsOneLineWithBothNumbersAndBothFixes() {
    KeepAliveCheck.install(new KeepAlivePolicy(Duration.ofHours(1)));
    KeepAliveCheck.listening(KeepAlivePolicy.Server.TOMCAT, 8080, Duration.ofSeconds(20));
    KeepAliveCheck.listening(KeepAlivePolicy.Server.TOMCAT, 8080, Duration.ofSeconds(20));

    assertThat(log.lines())
        .singleElement()
        .asString()
        .startsWith(
            "[meshaware] Tomcat on port 8080 closes idle keep-alive connections after 20s, the"
                + " sidecar after 1h")
        .contains("server.tomcat.keep-alive-timeout")
        .contains("above 1h")
        .contains("inboundConnectionPool.http.idleTimeout")
        .contains("below 20s");
    assertThat(new ListenersReportSection().facts())
        .containsEntry(
            "port 8080 idle timeout", "Tomcat 20s, sidecar 1h (the server closes first)");
  }

  @Test
  void aServerThatClosesLaterOrNeverOrOnASystemPortGetsNoLine() {
    KeepAliveCheck.install(new KeepAlivePolicy(Duration.ofHours(1)));
    KeepAliveCheck.listening(KeepAlivePolicy.Server.TOMCAT, 8081, Duration.ofHours(2));
    KeepAliveCheck.listening(KeepAlivePolicy.Server.REACTOR_NETTY, 8082, null);
    KeepAliveCheck.listening(KeepAlivePolicy.Server.TOMCAT, 8083, Duration.ofMillis(-1));
    KeepAliveCheck.listening(KeepAlivePolicy.Server.TOMCAT, 0, Duration.ofSeconds(5));
    assertThat(log.lines()).isEmpty();
    assertThat(new ListenersReportSection().facts())
        .containsEntry("port 8082 idle timeout", "Reactor Netty never, sidecar 1h");
  }

  @Test
  void aSidecarThatNeverClosesIsOutlivedByAnyServerThatCloses() {
    KeepAlivePolicy never = new KeepAlivePolicy(Duration.ZERO);
    assertThat(never.closesFirst(Duration.ofHours(5))).isTrue();
    assertThat(never.closesFirst(null)).isFalse();
    assertThat(never.message(KeepAlivePolicy.Server.JETTY, 8080, Duration.ofSeconds(30)))
        .contains("the sidecar never")
        .contains("to never close");
  }

  @Test
  void ofTwoIdleLimitsTheShorterSetOneCounts() {
    assertThat(KeepAlivePolicy.shorterTimeout(-1, -1)).isNull();
    assertThat(KeepAlivePolicy.shorterTimeout(5000, -1)).isEqualTo(Duration.ofSeconds(5));
    assertThat(KeepAlivePolicy.shorterTimeout(0, 7000)).isEqualTo(Duration.ofSeconds(7));
    assertThat(KeepAlivePolicy.shorterTimeout(9000, 3000)).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void offSaysNothing() {
    KeepAliveCheck.listening(KeepAlivePolicy.Server.TOMCAT, 8084, Duration.ofSeconds(1));
    assertThat(log.lines()).isEmpty();
    assertThat(KeepAliveCheck.isActive()).isFalse();
  }
}
