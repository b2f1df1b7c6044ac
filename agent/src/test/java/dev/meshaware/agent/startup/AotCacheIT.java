package dev.meshaware.agent.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.meshaware.agent.apps.AotCacheApp;
import dev.meshaware.agent.testing.ChildJvm;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JDK 25's ahead-of-time cache (JEP 483, made in one step as JEP 514 allows) with the agent
 * attached, in real child JVMs: the cache made with the agent maps and the inbound request's
 * headers still cross an executor hop and the JDK {@code HttpClient}, because the JVM keeps every
 * class the agent transformed during training out of the cache and loads it from its class file at
 * run time, where the agent transforms it again; a cache made without the agent is refused by the
 * JVM, and the application starts without it, headers forwarded. Runs on JDK 25 or newer: the
 * children's JDK if it is one, else the newest under {@code /usr/lib/jvm}.
 */
class AotCacheIT {
  private static final String FORWARDED_VERBATIM =
      "x-request-id=" + AotCacheApp.REQUEST_ID + " traceparent=" + AotCacheApp.TRACEPARENT;
  private static final String FROM_CACHE = "source: shared objects file";

  @TempDir static Path dir;
  private static Path java;
  private static Path appJar;

  @BeforeAll
  static void findJdkAndPackTheApp() throws IOException {
    Path jdk = jdk25();
    assumeTrue(
        jdk != null,
        "no JDK 25 or newer (children's JDK "
            + ChildJvm.javaHome()
            + " is older, none under /usr/lib/jvm): the AOT cache needs one");
    java = jdk.resolve("bin").resolve("java");
    // The JVM caches no class of a class-path directory (it refuses to make a cache with a
    // non-empty one on the class path): the app runs from a jar, as a deployed app would.
    appJar = dir.resolve("aot-app.jar");
    packClassesOf(AotCacheApp.class, appJar);
  }

  @Test
  void cacheMadeWithTheAgentMapsAndTheRequestsHeadersReachTheDownstream() throws Exception {
    Path cache = dir.resolve("with-agent.aot");
    String training = run(agent(), "-XX:AOTCacheOutput=" + cache);
    assertThat(training).contains("AOTCache creation is complete");
    // what the JVM does with a class the agent rewrote: it leaves it out of the cache
    assertThat(training)
        .contains("Skipping java/util/concurrent/ThreadPoolExecutor: From ClassFileLoadHook")
        .contains("Skipping jdk/internal/net/http/MultiExchange: From ClassFileLoadHook");

    String production = run(agent(), "-XX:AOTCache=" + cache, "-Xlog:aot", "-Xlog:class+load=info");

    assertThat(production).contains("Using AOT-linked classes: true").doesNotContain("[error]");
    assertThat(production).contains(AotCacheApp.class.getName() + " " + FROM_CACHE);
    // the classes the agent transforms come from their class file, and are transformed again
    assertThat(sourceOf(production, "java.util.concurrent.ThreadPoolExecutor"))
        .doesNotContain(FROM_CACHE);
    assertThat(sourceOf(production, "jdk.internal.net.http.MultiExchange"))
        .doesNotContain(FROM_CACHE);
    assertThat(forwarded(production)).isEqualTo(FORWARDED_VERBATIM);
  }

  @Test
  void cacheMadeWithoutTheAgentIsRefusedAndTheAppStartsWithoutIt() throws Exception {
    Path cache = dir.resolve("without-agent.aot");
    assertThat(run(List.of(), "-XX:AOTCacheOutput=" + cache))
        .contains("AOTCache creation is complete");

    // -XX:AOTMode=auto, the default: the JVM says why in [error] lines and goes on without it
    String production = run(agent(), "-XX:AOTCache=" + cache);

    assertThat(production)
        .contains("Mismatched values for property jdk.module.addmods: java.instrument")
        .contains("Unable to map shared spaces");
    assertThat(forwarded(production)).isEqualTo(FORWARDED_VERBATIM);

    // -XX:AOTMode=on turns the same refusal into a failed start
    Run strict = start(agent(), "-XX:AOTCache=" + cache, "-XX:AOTMode=on");
    assertThat(strict.exit).as(strict.output).isNotZero();
    assertThat(strict.output).contains("Unable to use AOT cache");
  }

  private static List<String> agent() {
    return List.of("-javaagent:" + ChildJvm.agentJar());
  }

  /** Runs the app with {@code agent} and {@code options}; its output, after a clean exit. */
  private static String run(List<String> agent, String... options) throws Exception {
    Run run = start(agent, options);
    assertThat(run.exit).as(run.output).isZero();
    return run.output;
  }

  private static Run start(List<String> agent, String... options) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(agent);
    command.addAll(List.of(options));
    command.addAll(List.of("-cp", appJar.toString(), AotCacheApp.class.getName()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.directory(dir.toFile());
    // only what the test gives: no meshaware or JVM options of the environment; the one-step
    // cache creation passes its own JAVA_TOOL_OPTIONS to the JVM that assembles the cache
    builder
        .environment()
        .keySet()
        .removeIf(
            n ->
                n.startsWith("MESHAWARE_")
                    || n.startsWith("KUBERNETES_")
                    || n.equals("JAVA_TOOL_OPTIONS")
                    || n.equals("JDK_JAVA_OPTIONS")
                    || n.equals("JDK_AOT_VM_OPTIONS"));
    Path log = Files.createTempFile(dir, "child-", ".log");
    Process process = builder.redirectOutput(log.toFile()).start();
    process.getOutputStream().close();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("child JVM did not end within 60 s:\n" + Files.readString(log));
    }
    return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  private static String forwarded(String output) {
    return output
        .lines()
        .filter(l -> l.startsWith(AotCacheApp.FORWARDED))
        .map(l -> l.substring(AotCacheApp.FORWARDED.length()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("the app printed no result:\n" + output));
  }

  /** The {@code -Xlog:class+load} line of the first load of {@code className}. */
  private static String sourceOf(String output, String className) {
    return output
        .lines()
        .filter(l -> l.contains("[class,load] " + className + " source: "))
        .findFirst()
        .orElseThrow(() -> new AssertionError(className + " never loaded:\n" + output));
  }

  private static void packClassesOf(Class<?> type, Path jar) throws IOException {
    String name = type.getName().replace('.', '/');
    Path classes = Paths.get(type.getProtectionDomain().getCodeSource().getLocation().getPath());
    Path folder = classes.resolve(name).getParent();
    String simple = type.getSimpleName();
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        DirectoryStream<Path> own = Files.newDirectoryStream(folder, simple + "{,$*}.class")) {
      for (Path each : own) {
        out.putNextEntry(new JarEntry(classes.relativize(each).toString().replace('\\', '/')));
        out.write(Files.readAllBytes(each));
        out.closeEntry();
      }
    }
  }

  /** The children's JDK if it is 25 or newer, else the newest such JDK under /usr/lib/jvm. */
  private static Path jdk25() throws IOException {
    if (ChildJvm.javaFeatureVersion() >= 25) {
      return ChildJvm.javaHome();
    }
    Path best = null;
    int bestVersion = 24;
    Path jvms = Paths.get("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) {
      return null;
    }
    try (DirectoryStream<Path> all = Files.newDirectoryStream(jvms)) {
      for (Path each : all) {
        int version = featureVersion(each);
        if (version > bestVersion && Files.isExecutable(each.resolve("bin").resolve("java"))) {
          best = each;
          bestVersion = version;
        }
      }
    }
    return best;
  }

  private static int featureVersion(Path jdk) {
    try {
      for (String line : Files.readAllLines(jdk.resolve("release"))) {
        if (line.startsWith("JAVA_VERSION=")) {
          return Integer.parseInt(line.substring(13).replace("\"", "").split("[.+-]")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not a JDK
    }
    return 0;
  }

  private static final class Run {
    final int exit;
    final String output;

    Run(int exit, String output) {
      this.exit = exit;
      this.output = output;
    }
  }
}
