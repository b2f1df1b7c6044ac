package dev.meshaware.examples.plain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One example service ({@link ServiceMain}) in a child JVM on loopback, as the examples' tests run
 * it: the JVM of {@code meshaware.test.javaHome}, the test's class path, and no {@code MESHAWARE_*}
 * or {@code KUBERNETES_*} variable, so the agent, outside Kubernetes, waits for no sidecar.
 */
public final class ServiceProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final List<String> output;

  private ServiceProcess(Process process, int port, List<String> output) {
    this.process = process;
    this.port = port;
    this.output = output;
  }

  /**
   * Starts the service and returns once it listens.
   *
   * @param downstream the URL it calls on each request, or null
   * @param jvmOptions options ahead of the main class, such as {@code -javaagent:...}
   * @param environment variables added to the child's
   */
  public static ServiceProcess start(
      String name, String downstream, List<String> jvmOptions, Map<String, String> environment)
      throws IOException {
    Path java = Paths.get(System.getProperty("meshaware.test.javaHome"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString()));
    command.addAll(jvmOptions);
    command.addAll(
        List.of("-Dservice.name=" + name, "-Dservice.address=127.0.0.1", "-Dservice.port=0"));
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
    builder.environment().putAll(environment);
    Process process = builder.start();
    List<String> output = new ArrayList<>();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = out.readLine()) != null; ) {
      output.add(line);
      if (line.startsWith(name + " listening on ")) {
        return new ServiceProcess(
            process, Integer.parseInt(line.substring(line.lastIndexOf(':') + 1)), output);
      }
    }
    process.destroyForcibly();
    throw new AssertionError(name + " did not start: " + output);
  }

  public int port() {
    return port;
  }

  /** What the JVM and the service printed up to the line saying where it listens. */
  public List<String> output() {
    return output;
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
