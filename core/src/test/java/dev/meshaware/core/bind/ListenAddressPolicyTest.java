package dev.meshaware.core.bind;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.config.ConfigSource;
import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.startup.MeshDetection;
import dev.meshaware.core.startup.MeshMode;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ListenAddressPolicyTest {
  private static final int APP_UID = 1000;

  private static ListenAddressPolicy policy(PodAddress pod, int uid, Integer... allowed) {
    return new ListenAddressPolicy(BindCheckMode.WARN, Set.of(allowed), () -> pod, uid);
  }

  private static ListenAddressPolicy policy() {
    return policy(PodAddress.unknown(), APP_UID);
  }

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "::"})
  void allAddressesAreFine(String wildcard) throws Exception {
    assertThat(policy().classify(ip(wildcard), 8080).verdict()).isEqualTo(BindVerdict.OK);
    assertThat(policy().classify(null, 8080).verdict()).isEqualTo(BindVerdict.OK);
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.0.0.6", "::1"})
  void loopbackIsAWarningWithTheFix(String loopback) throws Exception {
    BindFinding finding = policy().classify(ip(loopback), 8080);
    assertThat(finding.verdict()).isEqualTo(BindVerdict.LOOPBACK);
    assertThat(finding.verdict().isError()).isFalse();
    assertThat(finding.message("com.example.App.main(App.java:7)"))
        .contains(":8080 (bound at com.example.App.main(App.java:7))")
        .contains("loopback only", "Istio 1.10", "IST0143")
        .contains("server.address=0.0.0.0", "ingress[].defaultEndpoint 127.0.0.1:8080")
        .contains("meshaware.bind.allow-loopback-ports");
  }

  @Test
  void showsIpv6AddressesInBracketsAndShort() throws Exception {
    assertThat(policy().classify(ip("::1"), 8080).message("x"))
        .startsWith("server socket [::1]:8080");
    assertThat(ListenAddressPolicy.show(ip("fd00:0:0:1:0:0:0:5"))).isEqualTo("[fd00:0:0:1::5]");
    assertThat(ListenAddressPolicy.show(ip("fe80::1:2:3:4:5:6"))).isEqualTo("[fe80:0:1:2:3:4:5:6]");
    assertThat(ListenAddressPolicy.show(ip("1:2:3:4:5:6:7:8"))).isEqualTo("[1:2:3:4:5:6:7:8]");
    assertThat(ListenAddressPolicy.show(ip("10.0.0.1"))).isEqualTo("10.0.0.1");
  }

  @Test
  void anAllowListedLoopbackPortIsFine() throws Exception {
    ListenAddressPolicy policy = policy(PodAddress.unknown(), APP_UID, 9090);
    assertThat(policy.classify(ip("127.0.0.1"), 9090).verdict()).isEqualTo(BindVerdict.OK);
    assertThat(policy.classify(ip("127.0.0.1"), 9091).verdict()).isEqualTo(BindVerdict.LOOPBACK);
  }

  @Test
  void aPortTheSystemPicksIsNeverReported() throws Exception {
    ListenAddressPolicy proxyUser = policy(PodAddress.unknown(), ProcessUser.PROXY_UID);
    assertThat(proxyUser.classify(ip("127.0.0.1"), 0).verdict()).isEqualTo(BindVerdict.OK);
  }

  @Test
  void everySidecarPortIsAnErrorWhateverTheAddressAndTheAllowList() throws Exception {
    List<Integer> ports =
        List.of(15000, 15001, 15002, 15004, 15006, 15008, 15009, 15020, 15021, 15053, 15090);
    assertThat(SidecarPorts.all()).containsExactlyElementsOf(ports);
    for (int port : ports) {
      ListenAddressPolicy allowing = policy(PodAddress.unknown(), APP_UID, port);
      for (String address : List.of("0.0.0.0", "127.0.0.1", "::")) {
        BindFinding finding = allowing.classify(ip(address), port);
        assertThat(finding.verdict()).as(address + ":" + port).isEqualTo(BindVerdict.SIDECAR_PORT);
        assertThat(finding.verdict().isError()).isTrue();
        assertThat(finding.message("x")).contains("port " + port, SidecarPorts.role(port));
      }
    }
    assertThat(policy().classify(ip("0.0.0.0"), 15003).verdict()).isEqualTo(BindVerdict.OK);
  }

  @Test
  void thePodIpIsAWarningThatNamesBothIstioGenerations() throws Exception {
    PodAddress pod = PodAddress.of(List.of(ip("10.1.2.3")), "POD_IP");
    BindFinding finding = policy(pod, APP_UID).classify(ip("10.1.2.3"), 8080);
    assertThat(finding.verdict()).isEqualTo(BindVerdict.POD_ADDRESS);
    assertThat(finding.message("x"))
        .contains("the pod IP (10.1.2.3 from POD_IP)")
        .contains("fine with Istio 1.10 and later", "1.9 and older", "127.0.0.1")
        .contains("server.address=0.0.0.0", "ingress[].defaultEndpoint 0.0.0.0:8080");
  }

  @Test
  void anAddressThatIsNotThePodIpCannotBeReachedInAnyVersion() throws Exception {
    PodAddress pod = PodAddress.of(List.of(ip("10.1.2.3")), "POD_IP");
    BindFinding finding = policy(pod, APP_UID).classify(ip("192.168.7.7"), 8080);
    assertThat(finding.verdict()).isEqualTo(BindVerdict.OTHER_ADDRESS);
    assertThat(finding.message("x")).contains("not the pod IP (10.1.2.3 from POD_IP)");
  }

  @Test
  void aSpecificAddressIsPresumedThePodIpWhenItIsUnknownAndLearnedOnlyOnce() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    ListenAddressPolicy policy =
        new ListenAddressPolicy(
            BindCheckMode.WARN,
            Set.of(),
            () -> {
              asked.incrementAndGet();
              return PodAddress.unknown();
            },
            APP_UID);
    policy.classify(ip("127.0.0.1"), 8080);
    assertThat(asked).hasValue(0);
    BindFinding finding = policy.classify(ip("192.168.7.7"), 8080);
    policy.classify(ip("192.168.7.8"), 8080);
    assertThat(asked).hasValue(1);
    assertThat(finding.verdict()).isEqualTo(BindVerdict.POD_ADDRESS);
    assertThat(finding.message("x")).contains("presumably the pod IP");
  }

  @Test
  void runningAsTheProxyUserIsAnErrorForAnyListeningPort() throws Exception {
    BindFinding finding =
        policy(PodAddress.unknown(), ProcessUser.PROXY_UID).classify(ip("0.0.0.0"), 8080);
    assertThat(finding.verdict()).isEqualTo(BindVerdict.PROXY_USER);
    assertThat(finding.verdict().isError()).isTrue();
    assertThat(finding.message("x")).contains("UID 1337", "securityContext.runAsUser");
  }

  private static MeshawareSettings settings(Map<String, String> properties) {
    return MeshawareSettings.load(ConfigSource.of(properties, Map.of()));
  }

  private static MeshDetection in(MeshMode mode) {
    return new MeshDetection(mode, "test");
  }

  private static ListenAddressPolicy policy(MeshMode mode, PodAddress pod, int uid) {
    return new ListenAddressPolicy(BindCheckMode.WARN, Set.of(), () -> pod, uid, mode);
  }

  @Test
  void appliesByDefaultOnlyWhereASidecarIsOrCouldBe() {
    assertThat(ListenAddressPolicy.from(settings(Map.of()), in(MeshMode.NONE))).isNull();
    for (MeshMode mode : MeshMode.values()) {
      if (mode != MeshMode.NONE) {
        assertThat(ListenAddressPolicy.from(settings(Map.of()), in(mode)).mode())
            .as(mode.id())
            .isEqualTo(BindCheckMode.WARN);
      }
    }
  }

  @Test
  void eachMeshModeHasItsOwnPortsAddressesAndProxyUser() throws Exception {
    PodAddress pod = PodAddress.of(List.of(ip("10.1.2.3")), "test");
    // Ambient: ztunnel's in-pod ports, loopback unreachable, the pod IP fine, UID 1337 nothing
    // special.
    ListenAddressPolicy ambient = policy(MeshMode.ISTIO_AMBIENT, pod, ProcessUser.PROXY_UID);
    assertThat(ambient.classify(null, 15008).verdict()).isEqualTo(BindVerdict.SIDECAR_PORT);
    assertThat(ambient.classify(null, 15008).message("x")).contains("ztunnel");
    assertThat(ambient.classify(null, 15020).verdict()).isEqualTo(BindVerdict.OK);
    assertThat(ambient.classify(ip("127.0.0.1"), 8080).message("x")).contains("ambient");
    assertThat(ambient.classify(ip("10.1.2.3"), 8080).verdict()).isEqualTo(BindVerdict.OK);
    assertThat(ambient.classify(ip("10.9.9.9"), 8080).verdict())
        .isEqualTo(BindVerdict.OTHER_ADDRESS);
    // Linkerd: its proxy's ports and user, its 2.11 change.
    for (MeshMode linkerd : List.of(MeshMode.LINKERD_SIDECAR, MeshMode.LINKERD_NATIVE_SIDECAR)) {
      ListenAddressPolicy policy = policy(linkerd, pod, APP_UID);
      assertThat(policy.classify(null, 4191).verdict()).isEqualTo(BindVerdict.SIDECAR_PORT);
      assertThat(policy.classify(null, 4191).message("x")).contains("Linkerd", "4140-4191");
      assertThat(policy.classify(null, 15020).verdict()).isEqualTo(BindVerdict.OK);
      assertThat(policy.classify(ip("127.0.0.1"), 8080).message("x")).contains("Linkerd 2.11");
      assertThat(policy.classify(ip("10.1.2.3"), 8080).message("x"))
          .contains("Linkerd 2.10 and older");
      assertThat(policy(linkerd, pod, ProcessUser.LINKERD_PROXY_UID).classify(null, 8080).verdict())
          .isEqualTo(BindVerdict.PROXY_USER);
      assertThat(policy(linkerd, pod, ProcessUser.PROXY_UID).classify(null, 8080).verdict())
          .isEqualTo(BindVerdict.OK);
    }
    // Istio's sidecar, classic or native: as before.
    ListenAddressPolicy nativeSidecar = policy(MeshMode.ISTIO_NATIVE_SIDECAR, pod, APP_UID);
    assertThat(nativeSidecar.classify(null, 15020).verdict()).isEqualTo(BindVerdict.SIDECAR_PORT);
    assertThat(nativeSidecar.classify(null, 4191).verdict()).isEqualTo(BindVerdict.OK);
    assertThat(nativeSidecar.classify(ip("127.0.0.1"), 8080).message("x")).contains("Istio 1.10");
  }

  @Test
  void appliesEverywhereWhenSetExplicitlyAndNowhereWhenOff() {
    assertThat(
            ListenAddressPolicy.from(
                    settings(Map.of("meshaware.bind.check", "fail")), in(MeshMode.NONE))
                .mode())
        .isEqualTo(BindCheckMode.FAIL);
    assertThat(
            ListenAddressPolicy.from(
                settings(Map.of("meshaware.bind.check", "off")), in(MeshMode.ISTIO_SIDECAR)))
        .isNull();
  }
}
