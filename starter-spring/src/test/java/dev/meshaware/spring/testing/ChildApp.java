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
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A Spring Boot application in a child JVM, with or without {@code -javaagent:meshaware-agent.jar},
 * on this test's class path (so with the starter), its output recorded line by line.
 */
public final class ChildApp implements AutoCloseable {
  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Thread reader;

  private ChildApp(Process process) {
    this.process = process;
    reader = new Thread(this::pump, "child-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code mainClass} with the agent, {@code jvmOptions} and {@code arguments}. */
  public static ChildApp withAgent(Class<?> mainClass, List<String> jvmOptions, String... arguments)
      throws IOException {
    return start(agentJar(), Map.of(), mainClass, jvmOptions, arguments);
  }

  /** Starts {@code mainClass} with the starter only: no agent. */
  public static ChildApp withoutAgent(
      Class<?> mainClass, List<String> jvmOptions, String... arguments) throws IOException {
    return start(null, Map.of(), mainClass, jvmOptions, arguments);
  }

  /**
   * Starts {@code mainClass} with the agent and without the starter on the class path: the
   * application as it runs with the agent alone.
   */
  public static ChildApp withAgentOnly(
      Class<?> mainClass, List<String> jvmOptions, String... arguments) throws IOException {
    return launch(agentJar(), Map.of(), true, mainClass, jvmOptions, arguments);
  }

  /**
   * Starts {@code mainClass} with {@code agent} (another build of the agent jar; null: none),
   * {@code environment} added to the child's, {@code jvmOptions} and {@code arguments}.
   */
  public static ChildApp start(
      Path agent,
      Map<String, String> environment,
      Class<?> mainClass,
      List<String> jvmOptions,
      String... arguments)
      throws IOException {
    return launch(agent, environment, false, mainClass, jvmOptions, arguments);
  }

  private static ChildApp launch(
      Path agent,
      Map<String, String> environment,
      boolean withoutStarter,
      Class<?> mainClass,
      List<String> jvmOptions,
      String... arguments)
      throws IOException {
    return launch(
        agent, environment, List.of(), withoutStarter, mainClass.getName(), jvmOptions, arguments);
  }

  /**
   * Starts {@code mainClass} as {@link #start} does, with {@code firstOnClassPath} (e.g. the code
   * Spring AOT generated) ahead of this test run's class path.
   */
  public static ChildApp startWith(
      List<Path> firstOnClassPath,
      Path agent,
      Map<String, String> environment,
      String mainClass,
      List<String> jvmOptions,
      String... arguments)
      throws IOException {
    return launch(agent, environment, firstOnClassPath, false, mainClass, jvmOptions, arguments);
  }

  private static ChildApp launch(
      Path agent,
      Map<String, String> environment,
      List<Path> firstOnClassPath,
      boolean withoutStarter,
      String mainClass,
      List<String> jvmOptions,
      String... arguments)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(javaHome().resolve("bin").resolve("java").toString());
    if (agent != null) {
      command.add("-javaagent:" + agent.toAbsolutePath());
    }
    command.addAll(jvmOptions);
    command.add("-cp");
    List<String> classPath = new ArrayList<>();
    firstOnClassPath.forEach(entry -> classPath.add(entry.toAbsolutePath().toString()));
    classPath.add(classpath(withoutStarter));
    command.add(String.join(File.pathSeparator, classPath));
    command.add(mainClass);
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
    builder.environment().putAll(environment);
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

  /** The agent jar this build made. */
  public static Path agentJar() {
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

  /** Waits for a line containing {@code text} (a log line has a prefix); returns the line. */
  public String awaitLineContaining(String text, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : lines) {
        if (line.contains(text)) {
          return line;
        }
      }
      if (!process.isAlive()) {
        break;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("child never printed '" + text + "':\n" + output());
  }

  /** Everything the child printed so far, line by line, in order. */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  /**
   * Sends the child SIGTERM, as Kubernetes does, through the process handle: {@link
   * Process#destroy()} sends the same signal but also closes this side of the child's output.
   */
  public void terminate() {
    process.toHandle().destroy();
  }

  /** Sends the child {@code signal} ({@code TERM}, {@code INT}...) with {@code kill}. */
  public void signal(String signal) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
        .inheritIO()
        .start()
        .waitFor();
  }

  /**
   * Waits for the child to end, and for its last lines to be read (the reader thread may still be
   * behind when the process is gone); its exit status.
   */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("child still running after " + timeout + ":\n" + output());
    }
    reader.join(10_000);
    return process.exitValue();
  }

  /**
   * Sends SIGTERM, as Kubernetes does, and waits for the child to end; returns its exit status.
   * Through the process handle: {@link Process#destroy()} would also close this side of the child's
   * output, and what it prints while it shuts down would be lost.
   */
  public int terminate(Duration timeout) throws InterruptedException {
    process.toHandle().destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("child did not end within " + timeout + ":\n" + output());
    }
    reader.join(5000);
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
