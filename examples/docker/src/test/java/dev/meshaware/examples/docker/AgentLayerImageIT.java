package dev.meshaware.examples.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.meshaware.examples.plain.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image the build makes with Jib, read by the distribution's OCI tools as a registry or a
 * runtime would read it: {@code skopeo} inspects both archives' manifests and config, {@code umoci}
 * unpacks each to a root file system, and a JVM whose only change is the image's {@code
 * JAVA_TOOL_OPTIONS} (pointed at the unpacked jar) runs with the agent. No Docker engine.
 *
 * <p>Without {@code skopeo} or {@code umoci} on the {@code PATH} the tests are skipped, each with
 * the reason and how to install them, so that {@code mvn -B verify} passes on a machine without
 * them; {@code .ci/run} installs them, so CI always runs these tests, and {@code
 * -Dmeshaware.test.ociTools=required} fails instead of skipping.
 */
class AgentLayerImageIT {
  private static final String AGENT = "opt/meshaware/meshaware-agent.jar";
  private static final String TOOL_OPTIONS = "-javaagent:/" + AGENT;
  private static final Path DOCKER_ARCHIVE =
      Paths.get(System.getProperty("meshaware.test.dockerArchive"));
  private static final Path OCI_ARCHIVE =
      Paths.get(System.getProperty("meshaware.test.ociArchive"));

  @TempDir static Path work;

  /** Root file systems umoci unpacked: from the Docker archive, from the OCI archive. */
  private static Path fromDockerArchive;

  private static Path fromOciArchive;

  /** Why the tests are skipped, when the tools are missing and that is allowed; else null. */
  private static String skipReason;

  @BeforeAll
  static void unpackBothArchives() throws Exception {
    List<String> missing =
        Stream.of("skopeo", "umoci", "tar").filter(t -> !onPath(t)).collect(Collectors.toList());
    if (!missing.isEmpty()) {
      String reason =
          missing
              + " not on the PATH: the image test reads the image with them. Install them"
              + " (apt-get install -y skopeo umoci; bash .ci/run does)";
      if ("required".equals(System.getProperty("meshaware.test.ociTools"))) {
        fail(reason + " (-Dmeshaware.test.ociTools=required)");
      }
      skipReason = reason + "; skipped (-Dmeshaware.test.ociTools=required fails instead)";
      System.out.println("[AgentLayerImageIT] " + skipReason);
      return;
    }
    // The Docker archive goes through skopeo into an OCI layout, as a registry copy would.
    run("skopeo", "copy", "docker-archive:" + DOCKER_ARCHIVE, "oci:" + work.resolve("a") + ":l");
    fromDockerArchive = unpack(work.resolve("a") + ":l", work.resolve("bundle-a"));
    // The OCI archive is an image layout as it is: umoci reads it unpacked, by its one tag.
    Files.createDirectories(work.resolve("b"));
    run("tar", "-xf", OCI_ARCHIVE.toString(), "-C", work.resolve("b").toString());
    String ref = firstGroup(run("umoci", "ls", "--layout", work.resolve("b").toString()), "(.+)");
    fromOciArchive = unpack(work.resolve("b") + ":" + ref.trim(), work.resolve("bundle-b"));
  }

  @BeforeEach
  void skipOnlyWhenAllowed() {
    Assumptions.assumeTrue(skipReason == null, skipReason);
  }

  @Test
  void bothArchivesAreOneLayerOnScratchWithTheAgentInJavaToolOptions() throws Exception {
    String docker = run("skopeo", "inspect", "--raw", "docker-archive:" + DOCKER_ARCHIVE);
    String oci = run("skopeo", "inspect", "--raw", "oci-archive:" + OCI_ARCHIVE);
    assertThat(firstGroup(docker, "\"mediaType\":\"([^\"]+)\""))
        .isEqualTo("application/vnd.docker.distribution.manifest.v2+json");
    assertThat(firstGroup(oci, "\"mediaType\":\"([^\"]+)\""))
        .isEqualTo("application/vnd.oci.image.manifest.v1+json");
    // One config for both: the same environment, platform and layer content (diff_ids).
    assertThat(configDigest(oci)).isEqualTo(configDigest(docker));
    for (String manifest : List.of(docker, oci)) {
      assertThat(count(manifest, "\"digest\":")).as(manifest).isEqualTo(2); // config + one layer
    }
    String summary =
        run(
            "skopeo",
            "inspect",
            "--format",
            "{{.Os}}/{{.Architecture}} {{len .Layers}} layer{{range .Env}} {{.}}{{end}}",
            "docker-archive:" + DOCKER_ARCHIVE);
    assertThat(summary.trim())
        .isEqualTo(
            System.getProperty("meshaware.test.platform")
                + " 1 layer JAVA_TOOL_OPTIONS="
                + TOOL_OPTIONS);
    String config = run("skopeo", "inspect", "--config", "oci-archive:" + OCI_ARCHIVE);
    assertThat(config).doesNotContain("\"Entrypoint\"", "\"Cmd\"", "\"User\"");
    assertThat(count(config, "\"sha256:")).as(config).isEqualTo(1);
  }

  @Test
  void bothUnpackToTheAgentJarAloneAtItsPath() throws IOException {
    byte[] agent = Files.readAllBytes(Paths.get(System.getProperty("meshaware.test.agentJar")));
    for (Path rootfs : List.of(fromDockerArchive, fromOciArchive)) {
      try (Stream<Path> files = Files.walk(rootfs)) {
        assertThat(files.filter(p -> !p.equals(rootfs)).map(p -> rootfs.relativize(p).toString()))
            .containsExactlyInAnyOrder("opt", "opt/meshaware", AGENT);
      }
      assertThat(Files.readAllBytes(rootfs.resolve(AGENT))).isEqualTo(agent);
      assertThat(
              PosixFilePermissions.toString(Files.getPosixFilePermissions(rootfs.resolve(AGENT))))
          .isEqualTo("rw-r--r--");
      // The runtime configuration umoci wrote from the image's config carries the variable.
      assertThat(Files.readString(rootfs.resolveSibling("config.json")))
          .contains("\"JAVA_TOOL_OPTIONS=" + TOOL_OPTIONS + "\"");
    }
  }

  @Test
  void aJvmWithTheImagesJavaToolOptionsRunsTheUnpackedAgent() throws Exception {
    String toolOptions =
        TOOL_OPTIONS.replace("/" + AGENT, fromOciArchive.resolve(AGENT).toString());
    Map<String, String> env = Map.of("JAVA_TOOL_OPTIONS", toolOptions);
    try (ServiceProcess stock = ServiceProcess.start("stock", null, List.of(), env);
        ServiceProcess catalog =
            ServiceProcess.start(
                "catalog", "http://127.0.0.1:" + stock.port() + "/", List.of(), env)) {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + catalog.port() + "/"))
                      .header("x-request-id", "layer-request")
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      for (ServiceProcess service : List.of(stock, catalog)) {
        assertThat(service.output())
            .anyMatch(l -> l.startsWith("Picked up JAVA_TOOL_OPTIONS: " + toolOptions))
            .anyMatch(l -> l.startsWith("[meshaware] "));
      }
      // The agent forwarded the inbound x-request-id on catalog's call to stock.
      assertThat(response.body())
          .contains("\"service\":\"stock\",\"x-request-id\":\"layer-request\"");
    }
  }

  private static Path unpack(String image, Path bundle) throws Exception {
    run("umoci", "unpack", "--rootless", "--image", image, bundle.toString());
    return bundle.resolve("rootfs");
  }

  private static boolean onPath(String tool) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Paths.get(dir, tool)));
  }

  /** Runs a tool, returns its standard output; a non-zero exit fails with everything it wrote. */
  private static String run(String... command) throws Exception {
    Path err = Files.createTempFile(work, "stderr", ".txt");
    Path stdout = Files.createTempFile(work, "stdout", ".txt");
    // Both streams go to files, so a tool that hangs cannot hold the test past the wait below.
    Process process =
        new ProcessBuilder(command)
            .redirectError(err.toFile())
            .redirectOutput(stdout.toFile())
            .start();
    process.getOutputStream().close();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail(String.join(" ", command) + " did not finish within 60 s");
    }
    String out = Files.readString(stdout, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      fail(
          String.join(" ", command)
              + " exited with "
              + process.exitValue()
              + ":\n"
              + out
              + Files.readString(err));
    }
    return out;
  }

  private static String firstGroup(String text, String regex) {
    Matcher matcher = Pattern.compile(regex).matcher(text);
    assertThat(matcher.find()).as("%s in %s", regex, text).isTrue();
    return matcher.group(1);
  }

  private static String configDigest(String manifest) {
    return firstGroup(manifest, "\"config\":\\{[^}]*\"digest\":\"([^\"]+)\"");
  }

  private static int count(String text, String literal) {
    return text.split(Pattern.quote(literal), -1).length - 1;
  }
}
