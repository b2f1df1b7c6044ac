package dev.meshaware.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.agent.instrument.references.ReferenceIndex;
import dev.meshaware.agent.library.Libraries;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

/**
 * The references recorded at build (every type, method and field each advice touches) hold against
 * every library version the build carries: the newest on the test class path, the oldest in {@code
 * target/child-libs/<profile>}. A version that breaks one fails here, at build, rather than being
 * left alone silently in an application.
 */
class ReferenceCheckTest {
  /** Library -> the child-libs profiles holding its other supported versions. */
  private static final Map<String, List<String>> OTHER_VERSIONS =
      Map.of(
          "okhttp", List.of("okhttp3", "okhttp5"),
          "apache-httpclient5", List.of("httpclient5-old"),
          "netty", List.of("netty41"),
          "vertx", List.of("vertx50", "vertx4", "vertx52"),
          "jetty", List.of("jetty10", "jetty11", "jetty-ee11"),
          "undertow", List.of("undertow24"),
          "kafka", List.of("kafka39", "kafka44"));

  @Test
  void theBuildRecordedReferencesForEveryAdviceClass() throws IOException {
    ReferenceIndex index = ReferenceIndex.load();
    for (TypeInstrumentation instrumentation : Libraries.everyInstrumentation()) {
      for (String className : ReferenceIndex.classesOf(instrumentation)) {
        assertThat(index.knows(className)).as(className).isTrue();
      }
    }
  }

  @Test
  void everyLibraryOnTheTestClassPathHasEveryMemberItsAdviceUses() throws IOException {
    Map<String, Integer> checked = check(testClassPath(), null);
    assertThat(checked.keySet())
        .as("libraries found on the test class path")
        .contains(
            "tomcat",
            "servlet",
            "reactor-netty",
            "grpc",
            "okhttp",
            "apache-httpclient5",
            "netty",
            "vertx");
  }

  @Test
  void theOldestAndOtherSupportedVersionsHaveEveryMemberTheAdviceUses() throws IOException {
    for (Map.Entry<String, List<String>> library : OTHER_VERSIONS.entrySet()) {
      for (String profile : library.getValue()) {
        Path dir = Paths.get("target", "child-libs", profile);
        List<Path> jars;
        try (Stream<Path> files = Files.list(dir)) {
          jars = files.filter(p -> p.toString().endsWith(".jar")).collect(Collectors.toList());
        }
        jars.addAll(testClassPath()); // after the profile's jars, as in a child JVM
        Map<String, Integer> checked = check(jars, library.getKey());
        assertThat(checked.getOrDefault(library.getKey(), 0))
            .as(library.getKey() + " in " + profile)
            .isPositive();
      }
    }
  }

  private static List<Path> testClassPath() {
    return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(Paths::get)
        .collect(Collectors.toList());
  }

  /**
   * Checks every instrumentation (of {@code onlyLibrary}, or all) whose target class is in {@code
   * jars}; returns how many were checked per library. Fails on the first missing member.
   */
  private static Map<String, Integer> check(List<Path> jars, String onlyLibrary)
      throws IOException {
    List<ClassFileLocator> locators = new ArrayList<>();
    for (Path jar : jars) {
      if (Files.isRegularFile(jar)) {
        locators.add(ClassFileLocator.ForJarFile.of(jar.toFile()));
      } else if (Files.isDirectory(jar)) {
        locators.add(new ClassFileLocator.ForFolder(jar.toFile()));
      }
    }
    locators.add(ClassFileLocator.ForClassLoader.ofBootLoader());
    locators.add(ClassFileLocator.ForClassLoader.of(ClassLoader.getPlatformClassLoader()));
    TypePool pool =
        new TypePool.Default(
            new TypePool.CacheProvider.Simple(),
            new ClassFileLocator.Compound(locators),
            TypePool.Default.ReaderMode.FAST);
    ReferenceIndex index = ReferenceIndex.load();
    Map<String, Integer> checked = new LinkedHashMap<>();
    for (Library library : Libraries.all()) {
      if (onlyLibrary != null && !onlyLibrary.equals(library.name())) {
        continue;
      }
      List<TypeInstrumentation> all = new ArrayList<>(library.inbound());
      all.addAll(library.outbound());
      all.addAll(library.threadHops());
      all.addAll(library.diagnostics());
      for (TypeInstrumentation instrumentation : all) {
        ShapeMatcher shape = new ShapeMatcher(instrumentation, index);
        for (String target : instrumentation.typeNames()) {
          TypePool.Resolution type = pool.describe(target);
          // As at run time: a target without the advised methods is another version's, left alone.
          if (!type.isResolved() || shape.methodProblem(type.resolve()) != null) {
            continue;
          }
          assertThat(shape.referenceProblem(pool))
              .as(instrumentation.name() + " on " + target + " against " + jars)
              .isNull();
          checked.merge(library.name(), 1, Integer::sum);
        }
      }
    }
    return checked;
  }
}
