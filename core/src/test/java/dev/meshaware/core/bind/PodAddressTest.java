package dev.meshaware.core.bind;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.config.ConfigSource;
import dev.meshaware.core.config.MeshawareSettings;
import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodAddressTest {

  private static PodAddress learn(Map<String, String> env) {
    return PodAddress.learn(MeshawareSettings.load(ConfigSource.of(Map.of(), env)));
  }

  @Test
  void prefersTheDownwardApiVariable() throws Exception {
    PodAddress pod = learn(Map.of("POD_IP", "10.1.2.3"));
    assertThat(pod.contains(InetAddress.getByName("10.1.2.3"))).isTrue();
    assertThat(pod.describe()).isEqualTo("10.1.2.3 from POD_IP");
  }

  @Test
  void readsBothFamiliesFromPodIps() throws Exception {
    PodAddress pod = learn(Map.of("POD_IPS", "10.1.2.3, fd00::5"));
    assertThat(pod.contains(InetAddress.getByName("10.1.2.3"))).isTrue();
    assertThat(pod.contains(InetAddress.getByName("fd00::5"))).isTrue();
  }

  @Test
  void neverResolvesANameFromTheVariable() throws Exception {
    PodAddress pod = learn(Map.of("POD_IP", "dead.beef"));
    assertThat(pod.describe()).doesNotContain("POD_IP");
  }
}
