package dev.meshaware.examples.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.config.Durations;
import dev.meshaware.core.config.MeshawareKeys;
import dev.meshaware.core.config.Setting;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The manifests parse, and every field meshaware relies on is there and consistent. */
class K8sManifestsTest {

  @SuppressWarnings("unchecked")
  private static Map<String, Object> load(String file) throws IOException {
    try (Reader in = Files.newBufferedReader(Paths.get(file))) {
      return new Yaml().load(in);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T at(Map<String, Object> root, String... path) {
    Object node = root;
    for (String key : path) {
      assertThat(node).as(String.join(".", path)).isInstanceOf(Map.class);
      node = ((Map<String, Object>) node).get(key);
    }
    assertThat(node).as(String.join(".", path)).isNotNull();
    return (T) node;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> env(Map<String, Object> container, String name) {
    return ((List<Map<String, Object>>) container.get("env"))
        .stream()
            .filter(e -> name.equals(e.get("name")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no env " + name));
  }

  @SuppressWarnings("unchecked")
  private static void everyMeshawareVariableIsAKeyWithAValidValue(Map<String, Object> container) {
    for (Map<String, Object> variable : (List<Map<String, Object>>) container.get("env")) {
      String name = (String) variable.get("name");
      if (!name.startsWith("MESHAWARE_")) {
        continue;
      }
      Optional<Setting<?>> setting =
          MeshawareKeys.ALL.stream().filter(s -> s.environmentName().equals(name)).findFirst();
      assertThat(setting).as(name + " is a meshaware key").isPresent();
      setting.get().parse((String) variable.get("value")); // throws on a bad value
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void theDeploymentWiresWhatMeshawareReadsAndItsTimingsFitIstios() throws IOException {
    Map<String, Object> deployment = load("deployment.yaml");
    Map<String, Object> pod = at(deployment, "spec", "template");
    Map<String, Object> container =
        ((List<Map<String, Object>>) at(pod, "spec", "containers")).get(0);

    assertThat(env(container, "JAVA_TOOL_OPTIONS").get("value"))
        .isEqualTo("-javaagent:/opt/meshaware/meshaware-agent.jar");
    Map<String, Object> podIp = env(container, "POD_IP");
    assertThat(at(podIp, "valueFrom", "fieldRef", "fieldPath").toString())
        .isEqualTo("status.podIP");
    everyMeshawareVariableIsAKeyWithAValidValue(container);

    String annotationsFile =
        (String)
            env(container, MeshawareKeys.STARTUP_POD_ANNOTATIONS_FILE.environmentName())
                .get("value");
    Map<String, Object> mount = ((List<Map<String, Object>>) container.get("volumeMounts")).get(0);
    assertThat(annotationsFile).startsWith(mount.get("mountPath") + "/");
    Map<String, Object> volume = ((List<Map<String, Object>>) at(pod, "spec", "volumes")).get(0);
    assertThat(volume.get("name")).isEqualTo(mount.get("name"));
    Map<String, Object> item =
        ((List<Map<String, Object>>) at(volume, "downwardAPI", "items")).get(0);
    assertThat(annotationsFile).endsWith("/" + item.get("path"));
    assertThat(at(item, "fieldRef", "fieldPath").toString()).isEqualTo("metadata.annotations");
    assertThat((Object) at(container, "readinessProbe")).isNotNull();

    Duration delay =
        Durations.parse((String) env(container, "MESHAWARE_SHUTDOWN_DELAY").get("value"));
    Duration drain =
        Durations.parse((String) env(container, "MESHAWARE_SHUTDOWN_DRAIN_TIMEOUT").get("value"));
    Map<String, Object> proxyConfig =
        new Yaml().load((String) at(pod, "metadata", "annotations", "proxy.istio.io/config"));
    Duration istioDrain = Durations.parse((String) proxyConfig.get("terminationDrainDuration"));
    Duration grace =
        Duration.ofSeconds(((Number) at(pod, "spec", "terminationGracePeriodSeconds")).longValue());
    assertThat(delay.plus(drain))
        .as("meshaware's delay + drain fit in the proxy's drain window")
        .isLessThanOrEqualTo(istioDrain);
    assertThat(istioDrain).as("the proxy drains within the grace period").isLessThan(grace);
  }

  @Test
  @SuppressWarnings("unchecked")
  void theJobAsksTheProxyToQuitWhenItIsDone() throws IOException {
    Map<String, Object> job = load("job.yaml");
    assertThat((String) at(job, "kind")).isEqualTo("Job");
    Map<String, Object> pod = at(job, "spec", "template");
    assertThat((String) at(pod, "spec", "restartPolicy")).isIn("Never", "OnFailure");
    Map<String, Object> container =
        ((List<Map<String, Object>>) at(pod, "spec", "containers")).get(0);
    everyMeshawareVariableIsAKeyWithAValidValue(container);
    assertThat(env(container, "MESHAWARE_SHUTDOWN_QUIT_PROXY").get("value")).isIn("auto", "always");
    assertThat(env(container, "JAVA_TOOL_OPTIONS").get("value").toString()).contains("-javaagent:");
  }
}
