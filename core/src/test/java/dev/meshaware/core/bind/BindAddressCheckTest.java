package dev.meshaware.core.bind;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.log.CapturedLog;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BindAddressCheckTest {
  private final CapturedLog log = new CapturedLog();

  @AfterEach
  void off() {
    BindAddressCheck.install(null);
    log.close();
  }

  private static void install(BindCheckMode mode) {
    BindAddressCheck.install(new ListenAddressPolicy(mode, Set.of(), PodAddress::unknown, 1000));
  }

  @Test
  void warnModeReportsABadSocketAfterTheBindNamingTheCodeThatBoundIt() {
    install(BindCheckMode.WARN);
    assertThat(BindAddressCheck.refusal(new InetSocketAddress("127.0.0.1", 8080))).isNull();
    assertThat(log.lines()).isEmpty();

    BindAddressCheck.bound(new InetSocketAddress("127.0.0.1", 8080));
    assertThat(log.lines())
        .singleElement()
        .asString()
        .startsWith("[meshaware] WARNING server socket 127.0.0.1:8080 (bound at ")
        .contains(BindAddressCheckTest.class.getName() + ".warnModeReports");
  }

  @Test
  void warnModeReportsASidecarPortAsAnError() {
    install(BindCheckMode.WARN);
    BindAddressCheck.bound(new InetSocketAddress("0.0.0.0", 15021));
    assertThat(log.lines())
        .singleElement()
        .asString()
        .startsWith("[meshaware] ERROR server socket");
  }

  @Test
  void failModeRefusesBeforeTheBindWithTheSameMessage() {
    install(BindCheckMode.FAIL);
    BindException refusal = BindAddressCheck.refusal(new InetSocketAddress("127.0.0.1", 8080));
    assertThat(refusal).isNotNull();
    assertThat(log.lines())
        .singleElement()
        .asString()
        .startsWith("[meshaware] ERROR refused to listen");
    assertThat(refusal.getMessage())
        .isEqualTo(log.lines().get(0).replace("[meshaware] ERROR ", "[meshaware] "));

    BindAddressCheck.bound(new InetSocketAddress("127.0.0.1", 8080));
    assertThat(log.lines()).hasSize(1);
  }

  @Test
  void saysNothingAboutGoodOrUnjudgeableAddresses() {
    install(BindCheckMode.FAIL);
    for (SocketAddress address :
        new SocketAddress[] {
          null,
          new InetSocketAddress("0.0.0.0", 8080),
          new InetSocketAddress(0),
          InetSocketAddress.createUnresolved("nowhere.invalid", 8080),
          new SocketAddress() {}
        }) {
      assertThat(BindAddressCheck.refusal(address)).as(String.valueOf(address)).isNull();
    }
    install(BindCheckMode.WARN);
    BindAddressCheck.bound(new InetSocketAddress("0.0.0.0", 8080));
    assertThat(log.lines()).isEmpty();
  }

  @Test
  void isSilentWhenOff() {
    BindAddressCheck.install(null);
    assertThat(BindAddressCheck.refusal(new InetSocketAddress("127.0.0.1", 8080))).isNull();
    BindAddressCheck.bound(new InetSocketAddress("127.0.0.1", 15021));
    assertThat(log.lines()).isEmpty();
  }
}
