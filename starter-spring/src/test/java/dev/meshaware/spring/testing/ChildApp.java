package dev.meshaware.spring.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A Spring Boot application in a child JVM with {@code -javaagent:meshaware-agent.jar}, on this
 * test's class path (so with the starter), its output recorded line by line.
 */
public final class ChildApp implements AutoCloseable {
  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();

  private ChildApp(Process process) {
    this.process = process;
    Thread reader = new Thread(this::pump, "child-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code mainClass} with the agent, {@code jvmOptions} and {@code arguments}. */
  public static ChildApp withAgent(Class<?> mainClass, List<String> jvmOptions, String... arguments)
      throws IOException {
    return start(mainClass, false, jvmOptions, arguments);
  }

  /**
   * As {@link #withAgent}, with the starter left off the class path: the application as it runs
   * with the agent alone.
   */
  public static ChildApp withAgentOnly(
      Class<?> mainClass, List<String> jvmOptions, String... arguments) throws IOException {
    return start(mainClass, true, jvmOptions, arguments);
  }

  private static ChildApp start(
      Class<?> mainClass, boolean withoutStarter, List<String> jvmOptions, String... arguments)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(javaHome().resolve("bin").resolve("java").toString());
    command.add("-javaagent:" + agentJar());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classpath(withoutStarter));
    command.add(mainClass.getName());
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    // The child sees only what the test gives it, even when CI itself runs in a pod.
    builder
        .environment()
        .keySet()
        .removeIf(
            name ->
                name.startsWith("MESHAWARE_")
                    || name.startsWith("KUBERNETES_")
                    || name.equals("JAVA_TOOL_OPTIONS")
                    || name.equals("JDK_JAVA_OPTIONS"));
    return new ChildApp(builder.start());
  }

  /**
   * This test run's class path without a tracer: in the child only meshaware may touch the headers
   * (Micrometer Tracing has its own test).
   */
  private static String classpath(boolean withoutStarter) {
    String starter = starterLocation();
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String file = Paths.get(entry).getFileName().toString();
      if (withoutStarter && Paths.get(entry).toAbsolutePath().toString().equals(starter)) {
        continue;
      }
      if (!file.startsWith("brave")
          && !file.startsWith("micrometer-tracing")
          && !file.startsWith("spring-boot-micrometer-tracing")) {
        entries.add(entry);
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  /** Where the starter's classes come from: its classes directory or its jar. */
  private static String starterLocation() {
    try {
      return Paths.get(
              dev.meshaware.spring.MeshawareAutoConfiguration.class
                  .getProtectionDomain()
                  .getCodeSource()
                  .getLocation()
                  .toURI())
          .toAbsolutePath()
          .toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path agentJar() {
    Path jar = Paths.get(System.getProperty("meshaware.test.agentJar", "missing"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("agent jar not built: " + jar + " (run mvn verify)");
    }
    return jar.toAbsolutePath();
  }

  private static Path javaHome() {
    return Paths.get(
        System.getProperty("meshaware.test.javaHome", System.getProperty("java.home")));
  }

  private void pump() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        lines.add(line);
      }
    } catch (IOException ignored) {
      // the child is gone
    }
  }

  /** Waits for a line starting with {@code prefix}; returns the rest of it. */
  public String awaitLine(String prefix, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      for (String line : lines) {
        if (line.startsWith(prefix)) {
          return line.substring(prefix.length()).trim();
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("child never printed '" + prefix + "':\n" + output());
  }

  /** Everything the child printed so far. */
  public String output() {
    return String.join("\n", lines);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
