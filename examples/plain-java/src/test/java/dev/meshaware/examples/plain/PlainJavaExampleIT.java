package dev.meshaware.examples.plain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Smoke test: two example services chained, both with the agent; the ids reach both hops. */
class PlainJavaExampleIT {
  private final List<Process> started = new ArrayList<>();

  private int start(String name, String downstream) throws Exception {
    Path java = Paths.get(System.getProperty("meshaware.test.javaHome"), "bin", "java");
    List<String> command =
        new ArrayList<>(
            List.of(
                java.toString(),
                "-javaagent:" + System.getProperty("meshaware.test.agentJar"),
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
    Process process = builder.start();
    started.add(process);
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith(name + " listening on ")) {
        return Integer.parseInt(line.substring(line.lastIndexOf(':') + 1));
      }
    }
    throw new AssertionError(name + " did not start");
  }

  @Test
  void forwardsTheTraceHeadersThroughBothServices() throws Exception {
    try {
      int stock = start("stock", null);
      int catalog = start("catalog", "http://127.0.0.1:" + stock + "/");
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + catalog + "/"))
                      .header("x-request-id", "demo-request-1")
                      .header("x-b3-traceid", "463ac35c9f6413ad48485a3953bb6124")
                      .header("x-b3-spanid", "a2fb4a1d1a96d312")
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body())
          .contains("\"service\":\"catalog\",\"x-request-id\":\"demo-request-1\"")
          .contains("\"service\":\"stock\",\"x-request-id\":\"demo-request-1\"")
          .contains("\"x-b3-traceid\":\"463ac35c9f6413ad48485a3953bb6124\"");
    } finally {
      started.forEach(Process::destroyForcibly);
    }
  }
}
