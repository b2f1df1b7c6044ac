package dev.meshaware.spring.aot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.spring.testing.ChildApp;
import dev.meshaware.spring.testing.Downstream;
import dev.meshaware.spring.testing.Forwarding;
import dev.meshaware.spring.testing.Inbound;
import dev.meshaware.spring.testing.MvcApp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

/**
 * The starter in an application built with Spring AOT and run on the JVM, as {@code
 * spring-boot:process-aot} and {@code -Dspring.aot.enabled=true} do it: Boot's own AOT processor
 * ({@code SpringApplicationAotProcessor}, what the Maven goal runs) generates the application's
 * bean registrations outside Kubernetes, the generated code is compiled, and the application runs
 * from it in a child JVM.
 *
 * <p>What the build cannot know is decided when the application starts: run "in Kubernetes", the
 * application built outside it holds SIGTERM for the shutdown delay and checks its listen address;
 * run with the agent, it leaves the agent's features to the agent.
 */
class SpringAotTest {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** Kept after the run (target/ of the module), to read what AOT generated when a test fails. */
  private static final Path BUILD = Path.of("target", "spring-aot-test");

  private static Path classes;
  private static Path resources;

  /** {@code process-aot}: generate, then compile what was generated. */
  @BeforeAll
  static void processAot() throws Exception {
    FileSystemUtils.deleteRecursively(BUILD);
    Path sources = Files.createDirectories(BUILD.resolve("sources"));
    resources = Files.createDirectories(BUILD.resolve("resources"));
    classes = Files.createDirectories(BUILD.resolve("classes"));
    try (ChildApp processor =
        ChildApp.startWith(
            List.of(),
            null,
            Map.of(),
            "org.springframework.boot.SpringApplicationAotProcessor",
            List.of(),
            MvcApp.class.getName(),
            sources.toString(),
            resources.toString(),
            classes.toString(),
            "dev.meshaware",
            "aot-test",
            // As with the Maven goal: what decides Boot's own conditions is fixed at build time.
            "--management.endpoints.web.exposure.include=meshaware")) {
      assertThat(processor.awaitExit(Duration.ofSeconds(120)))
          .as("AOT processing\n" + processor.output())
          .isZero();
    }
    List<String> generated;
    try (Stream<Path> files = Files.walk(sources)) {
      generated =
          files
              .filter(file -> file.toString().endsWith(".java"))
              .map(Path::toString)
              .collect(Collectors.toList());
    }
    assertThat(generated).as("generated sources").isNotEmpty();
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    List<String> arguments = new ArrayList<>();
    arguments.addAll(
        List.of(
            "-proc:none",
            "-nowarn",
            "-d",
            classes.toString(),
            "-cp",
            System.getProperty("java.class.path")));
    arguments.addAll(generated);
    assertThat(compiler.run(null, null, null, arguments.toArray(new String[0])))
        .as("compiling the generated code")
        .isZero();
  }

  @Test
  void theGeneratedContextForwardsHeadersAndDecidesThePodsFactsAtRunTime() throws Exception {
    try (Downstream downstream = new Downstream();
        ChildApp child =
            ChildApp.startWith(
                List.of(classes, resources),
                null,
                Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1"),
                MvcApp.class.getName(),
                List.of("-Dspring.aot.enabled=true"),
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--spring.main.banner-mode=off",
                "--meshaware.startup.mode=never",
                "--meshaware.propagation.extra-headers=" + Inbound.EXTRA,
                "--app.downstream=" + downstream.url(),
                "--management.endpoints.web.exposure.include=meshaware")) {
      int port = Integer.parseInt(child.awaitLine(MvcApp.PORT_LINE, Duration.ofSeconds(90)));
      assertThat(child.output())
          .as("the generated context is the one running")
          .contains("Starting AOT-processed");

      for (String client : List.of("resttemplate", "restclient", "webclient", "okhttp")) {
        String path = "/aot-" + client;
        assertThat(get(port, "/call/" + client + "?path=" + path, Inbound.all()).statusCode())
            .as(client + "\n" + child.output())
            .isEqualTo(200);
        Forwarding.exactly(downstream.received(path), client + "\n" + child.output());
        String bare = "/aot-bare-" + client;
        assertThat(get(port, "/call/" + client + "?path=" + bare, Map.of()).statusCode())
            .isEqualTo(200);
        Forwarding.none(downstream.received(bare), client + ": bare");
      }

      // Built outside Kubernetes, run in a pod: the pod's facts are read now.
      String report = get(port, "/actuator/meshaware", Map.of()).body();
      assertThat(report)
          .as(report)
          .contains("\"forwardedBy\":\"starter\"", "\"heldBy\":\"starter\"")
          .contains("\"checkedBy\":\"starter\"");
      assertThat(child.output()).doesNotContain("[meshaware] ERROR");
    }
  }

  @Test
  void withTheAgentAttachedTheGeneratedContextLeavesItsFeaturesToIt() throws Exception {
    try (Downstream downstream = new Downstream();
        ChildApp child =
            ChildApp.startWith(
                List.of(classes, resources),
                ChildApp.agentJar(),
                Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1"),
                MvcApp.class.getName(),
                List.of(
                    "-Dspring.aot.enabled=true",
                    "-Dmeshaware.startup.mode=never",
                    "-Dmeshaware.shutdown.quit-proxy=never",
                    "-Dmeshaware.propagation.extra-headers=" + Inbound.EXTRA),
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--spring.main.banner-mode=off",
                "--app.downstream=" + downstream.url(),
                "--management.endpoints.web.exposure.include=meshaware")) {
      int port = Integer.parseInt(child.awaitLine(MvcApp.PORT_LINE, Duration.ofSeconds(90)));
      String path = "/aot-agent";
      assertThat(get(port, "/call/restclient?path=" + path, Inbound.all()).statusCode())
          .as(child.output())
          .isEqualTo(200);
      Forwarding.exactly(downstream.received(path), "agent\n" + child.output());
      String report = get(port, "/actuator/meshaware", Map.of()).body();
      assertThat(report)
          .as(report)
          .contains("\"heldBy\":\"agent\"", "\"checkedBy\":\"agent\"", "\"installedBy\":\"agent\"");
    }
  }

  @Test
  void switchedOffOnThePodTheGeneratedContextDoesNothing() throws Exception {
    try (Downstream downstream = new Downstream();
        ChildApp child =
            ChildApp.startWith(
                List.of(classes, resources),
                null,
                Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1", "MESHAWARE_ENABLED", "false"),
                MvcApp.class.getName(),
                List.of("-Dspring.aot.enabled=true"),
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--spring.main.banner-mode=off",
                "--meshaware.propagation.extra-headers=" + Inbound.EXTRA,
                "--app.downstream=" + downstream.url())) {
      int port = Integer.parseInt(child.awaitLine(MvcApp.PORT_LINE, Duration.ofSeconds(90)));
      for (String client : List.of("restclient", "okhttp")) {
        String path = "/aot-off-" + client;
        assertThat(get(port, "/call/" + client + "?path=" + path, Inbound.all()).statusCode())
            .isEqualTo(200);
        Forwarding.none(downstream.received(path), client);
      }
      // No gate, no SIGTERM hold, no listen-address or keep-alive line (Spring Kafka's listener
      // advice, written at build time, may still be printed).
      assertThat(child.output())
          .doesNotContain("[meshaware] startup gate")
          .doesNotContain("sidecar")
          .doesNotContain("SIGTERM");
    }
  }

  private static HttpResponse<String> get(int port, String path, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30));
    headers.forEach(request::header);
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
