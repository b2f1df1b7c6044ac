package dev.meshaware.examples.micronaut;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One example service in a child JVM with the agent, on the module's test class path, on loopback
 * and an ephemeral port; its output is kept for the failure message.
 */
final class ChildService implements AutoCloseable {
  private final Process process;
  private final List<String> output;
  final int port;

  private ChildService(Process process, List<String> output, int port) {
    this.process = process;
    this.output = output;
    this.port = port;
  }

  /** What the child printed so far, for a failure message. */
  String output() {
    return String.join("\n", output);
  }

  static ChildService start(String role, Map<String, String> properties) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("meshaware.test.javaHome"), "bin", "java").toString());
    command.add("-javaagent:" + System.getProperty("meshaware.test.agentJar"));
    command.add("-Dexample.role=" + role);
    command.add("-Dmicronaut.server.host=127.0.0.1");
    command.add("-Dmicronaut.server.port=-1");
    command.add("-XX:TieredStopAtLevel=1");
    properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), Application.class.getName()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder
        .environment()
        .keySet()
        .removeIf(n -> n.startsWith("MESHAWARE_") || n.startsWith("KUBERNETES_"));
    Process process = builder.start();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                  lines.add(line);
                  if (line.startsWith(role + " listening on ")) {
                    port.complete(Integer.parseInt(line.substring(line.lastIndexOf(':') + 1)));
                  }
                }
              } catch (Exception e) {
                // the child ended
              }
              port.completeExceptionally(new AssertionError(role + " did not start: " + lines));
            },
            role + "-output");
    reader.setDaemon(true);
    reader.start();
    try {
      return new ChildService(process, lines, port.get(60, TimeUnit.SECONDS));
    } catch (Exception e) {
      process.destroyForcibly();
      throw new AssertionError(role + " did not start: " + lines, e);
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
