package dev.meshaware.examples.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.examples.plain.ServiceMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The layer holds exactly the agent at the documented path, with modes an image needs, and a JVM
 * whose only change is {@code JAVA_TOOL_OPTIONS} (as the Dockerfile sets it) runs with the agent.
 * No Docker engine: the layer is unpacked into a directory standing in for the image's root.
 */
class DockerLayerIT {
  private static final String AGENT = "opt/meshaware/meshaware-agent.jar";

  /** Entries of a ustar archive: name -> {mode, content}. */
  private static Map<String, Object[]> readTar(Path tar) throws IOException {
    Map<String, Object[]> entries = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(tar)) {
      byte[] header = new byte[512];
      while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
        String name = field(header, 0, 100);
        String prefix = field(header, 345, 155);
        String fullName = prefix.isEmpty() ? name : prefix + "/" + name;
        int mode = Integer.parseInt(field(header, 100, 8).trim(), 8);
        long size = Long.parseLong(field(header, 124, 12).trim(), 8);
        byte[] content = in.readNBytes((int) size);
        in.skipNBytes((512 - size % 512) % 512);
        entries.put(fullName, new Object[] {mode & 07777, content});
      }
    }
    return entries;
  }

  private static String field(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
  }

  @Test
  void theLayerHoldsTheAgentAtTheDocumentedPath() throws IOException {
    Map<String, Object[]> entries = readTar(Paths.get(System.getProperty("meshaware.test.layer")));
    assertThat(entries.keySet()).contains(AGENT);
    assertThat(entries.keySet())
        .allMatch(
            name -> name.startsWith("opt/meshaware") || name.equals("opt/") || name.equals("opt"));
    assertThat((int) entries.get(AGENT)[0]).isEqualTo(0644);
    byte[] jar = (byte[]) entries.get(AGENT)[1];
    assertThat(jar)
        .hasSize((int) Files.size(Paths.get(System.getProperty("meshaware.test.agentJar"))));
  }

  @Test
  void aJvmPicksTheAgentUpFromJavaToolOptions(@TempDir Path root) throws Exception {
    Map<String, Object[]> entries = readTar(Paths.get(System.getProperty("meshaware.test.layer")));
    Path agent = root.resolve(AGENT);
    Files.createDirectories(agent.getParent());
    Files.write(agent, (byte[]) entries.get(AGENT)[1]);
    String toolOptions = "-javaagent:" + agent;

    List<Process> started = new ArrayList<>();
    try {
      List<String> output = new ArrayList<>();
      int stock = start("stock", null, toolOptions, started, output);
      int catalog =
          start("catalog", "http://127.0.0.1:" + stock + "/", toolOptions, started, output);
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + catalog + "/"))
                      .header("x-request-id", "layer-request")
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(output).anyMatch(l -> l.startsWith("Picked up JAVA_TOOL_OPTIONS: " + toolOptions));
      assertThat(output).anyMatch(l -> l.startsWith("[meshaware] "));
      assertThat(response.body())
          .contains("\"service\":\"stock\",\"x-request-id\":\"layer-request\"");
    } finally {
      started.forEach(Process::destroyForcibly);
    }
  }

  private static int start(
      String name,
      String downstream,
      String toolOptions,
      List<Process> started,
      List<String> output)
      throws IOException {
    Path java = Paths.get(System.getProperty("meshaware.test.javaHome"), "bin", "java");
    List<String> command =
        new ArrayList<>(
            List.of(
                java.toString(),
                "-Dservice.name=" + name,
                "-Dservice.address=127.0.0.1",
                "-Dservice.port=0"));
    if (downstream != null) {
      command.add("-Dservice.downstream=" + downstream);
    }
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), ServiceMain.class.getName()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder
        .environment()
        .keySet()
        .removeIf(n -> n.startsWith("MESHAWARE_") || n.startsWith("KUBERNETES_"));
    builder.environment().put("JAVA_TOOL_OPTIONS", toolOptions);
    Process process = builder.start();
    started.add(process);
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = out.readLine()) != null; ) {
      output.add(line);
      if (line.startsWith(name + " listening on ")) {
        return Integer.parseInt(line.substring(line.lastIndexOf(':') + 1));
      }
    }
    throw new AssertionError(name + " did not start: " + output);
  }
}
