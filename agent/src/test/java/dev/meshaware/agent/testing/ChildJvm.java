package dev.meshaware.agent.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Starts a real child JVM (optionally with {@code -javaagent:meshaware-agent.jar}) running one of
 * the test applications, and records every line it prints with the time it arrived. The child runs
 * on the JDK named by {@code meshaware.test.javaHome}, so the same tests run on JDK 17 and 25.
 */
public final class ChildJvm {
  private final Class<?> mainClass;
  private final List<String> jvmOptions = new ArrayList<>();
  private final List<String> arguments = new ArrayList<>();
  private final Map<String, String> environment = new HashMap<>();
  private boolean withAgent = true;
  private final List<String> otherAgents = new ArrayList<>();
  private boolean otherAgentsFirst;
  private boolean withLibraries;
  private final List<String> droppedJars = new ArrayList<>();
  private final List<Path> extraJars = new ArrayList<>();

  private ChildJvm(Class<?> mainClass) {
    this.mainClass = mainClass;
  }

  public static ChildJvm running(Class<?> mainClass) {
    return new ChildJvm(mainClass);
  }

  /** The shaded agent jar built by this module. */
  public static Path agentJar() {
    Path jar =
        Paths.get(System.getProperty("meshaware.test.agentJar", "target/meshaware-agent.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("agent jar not built: " + jar + " (run mvn verify)");
    }
    return jar.toAbsolutePath();
  }

  /** The JDK the child runs on. */
  public static Path javaHome() {
    return Paths.get(
        System.getProperty("meshaware.test.javaHome", System.getProperty("java.home")));
  }

  /** The feature version (17, 25...) of the JDK the child runs on. */
  public static int javaFeatureVersion() {
    try {
      for (String line : Files.readAllLines(javaHome().resolve("release"))) {
        if (line.startsWith("JAVA_VERSION=")) {
          String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
          return Integer.parseInt(version.split("[.+-]")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    return Runtime.version().feature();
  }

  public ChildJvm property(String key, String value) {
    jvmOptions.add("-D" + key + "=" + value);
    return this;
  }

  /** Adds a JVM option, e.g. {@code --enable-native-access=ALL-UNNAMED}. */
  public ChildJvm jvmOption(String option) {
    jvmOptions.add(option);
    return this;
  }

  /** Adds an argument for the application's {@code main}. */
  public ChildJvm argument(String argument) {
    arguments.add(argument);
    return this;
  }

  public ChildJvm env(String name, String value) {
    environment.put(name, value);
    return this;
  }

  /** Sets {@code KUBERNETES_SERVICE_HOST}, as the kubelet does in every pod. */
  public ChildJvm inKubernetes() {
    return env("KUBERNETES_SERVICE_HOST", "127.0.0.1");
  }

  /**
   * Puts the test libraries (servers, clients) on the child's class path: every jar of this test
   * run except meshaware's own classes and the test tooling, so the child sees the agent's classes
   * only through {@code -javaagent}.
   */
  public ChildJvm withLibraries() {
    withLibraries = true;
    return this;
  }

  /**
   * Runs the child with another version of a library: jars whose file name starts with one of
   * {@code dropped} leave the class path, the jars of {@code target/child-libs/<profile>} join it.
   */
  public ChildJvm withLibraryProfile(String profile, String... dropped) {
    withLibraries = true;
    droppedJars.addAll(List.of(dropped));
    Path dir = Paths.get("target", "child-libs", profile);
    try (var jars = Files.list(dir)) {
      jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(extraJars::add);
    } catch (IOException e) {
      throw new IllegalStateException("library profile " + profile + " not prepared: " + dir, e);
    }
    return this;
  }

  /**
   * Attaches another agent as well (e.g. OpenTelemetry's), before or after meshaware's on the
   * command line.
   */
  public ChildJvm withOtherAgent(Path jar, boolean first) {
    otherAgents.add("-javaagent:" + jar.toAbsolutePath());
    otherAgentsFirst = first;
    return this;
  }

  /** Adds a directory or jar to the child's class path. */
  public ChildJvm withClasspathEntry(Path entry) {
    extraJars.add(entry);
    return this;
  }

  public ChildJvm withoutAgent() {
    withAgent = false;
    return this;
  }

  /** Starts the child; output is collected until it exits. */
  public Running start() throws IOException {
    List<String> command = new ArrayList<>();
    command.add(javaHome().resolve("bin").resolve("java").toString());
    if (otherAgentsFirst) {
      command.addAll(otherAgents);
    }
    if (withAgent) {
      command.add("-javaagent:" + agentJar());
    }
    if (!otherAgentsFirst) {
      command.addAll(otherAgents);
    }
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classpath());
    command.add(mainClass.getName());
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    // The child must see only what the test gives it, even when CI itself runs in a pod.
    builder
        .environment()
        .keySet()
        .removeIf(n -> n.startsWith("MESHAWARE_") || n.startsWith("KUBERNETES_"));
    builder
        .environment()
        .keySet()
        .removeIf(n -> n.equals("JAVA_TOOL_OPTIONS") || n.equals("JDK_JAVA_OPTIONS"));
    builder.environment().putAll(environment);
    return new Running(builder.start(), System.currentTimeMillis());
  }

  /** Starts the child and waits for it to end. */
  public Result run(Duration timeout) throws IOException, InterruptedException {
    return start().await(timeout);
  }

  private static final List<String> NOT_FOR_CHILD =
      List.of(
          "meshaware-",
          "byte-buddy",
          "wiremock",
          "junit-",
          "opentest4j",
          "apiguardian",
          "assertj-",
          "surefire",
          "failsafe");

  private String classpath() {
    List<String> entries = new ArrayList<>();
    entries.add(classpathOf(mainClass));
    if (withLibraries) {
      for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
        String file = Paths.get(entry).getFileName().toString();
        boolean tooling = NOT_FOR_CHILD.stream().anyMatch(file::startsWith);
        boolean dropped = droppedJars.stream().anyMatch(file::startsWith);
        if (entry.endsWith(".jar") && !tooling && !dropped) {
          entries.add(entry);
        }
      }
    }
    extraJars.forEach(jar -> entries.add(jar.toAbsolutePath().toString()));
    return String.join(java.io.File.pathSeparator, entries);
  }

  private static String classpathOf(Class<?> type) {
    try {
      return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A child JVM that is running. */
  public static final class Running {
    private final Process process;
    private final long startedAt;
    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    Running(Process process, long startedAt) {
      this.process = process;
      this.startedAt = startedAt;
      this.reader = new Thread(this::pump, "child-output");
      reader.setDaemon(true);
      reader.start();
    }

    private void pump() {
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          lines.add(new Line(System.currentTimeMillis(), line));
        }
      } catch (IOException ignored) {
        // the child is gone
      }
    }

    /** Waits for a line starting with {@code prefix}; returns the rest of it. */
    public String awaitLine(String prefix, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        for (Line line : lines) {
          if (line.text().startsWith(prefix)) {
            return line.text().substring(prefix.length()).trim();
          }
        }
        if (!process.isAlive()) {
          break;
        }
        Thread.sleep(20);
      }
      throw new AssertionError("child never printed '" + prefix + "':\n" + text());
    }

    /** Everything the child printed so far. */
    public List<String> lines() {
      List<String> all = new ArrayList<>();
      lines.forEach(l -> all.add(l.text()));
      return all;
    }

    /** The child's process, e.g. to send it a signal. */
    public Process process() {
      return process;
    }

    /**
     * Sends the child SIGTERM, as Kubernetes does to stop a container. Through the process handle:
     * {@link Process#destroy()} sends the same signal but also closes this side of the child's
     * output, so whatever the child prints while it shuts down would be lost.
     */
    public void terminate() {
      process.toHandle().destroy();
    }

    /** Sends the child {@code signal} ({@code INT}, {@code TERM}...) with {@code kill}. */
    public void signal(String signal) throws IOException, InterruptedException {
      new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
          .inheritIO()
          .start()
          .waitFor();
    }

    /** Kills the child if it still runs. */
    public void kill() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Milliseconds since the epoch when the child was started. */
    public long startedAt() {
      return startedAt;
    }

    /** Waits for the child to end; kills it and fails if it takes longer than {@code timeout}. */
    public Result await(Duration timeout) throws InterruptedException {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor();
        reader.join(2000);
        throw new AssertionError("child JVM did not end within " + timeout + ":\n" + text());
      }
      reader.join(5000);
      return new Result(
          process.exitValue(), new ArrayList<>(lines), startedAt, System.currentTimeMillis());
    }

    private String text() {
      StringBuilder text = new StringBuilder();
      lines.forEach(l -> text.append(l.text()).append('\n'));
      return text.toString();
    }
  }

  /** One output line and when the test saw it. */
  public static final class Line {
    private final long at;
    private final String text;

    Line(long at, String text) {
      this.at = at;
      this.text = text;
    }

    public long at() {
      return at;
    }

    public String text() {
      return text;
    }
  }
}
