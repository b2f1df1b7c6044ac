package dev.meshaware.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.meshaware.core.CoreVersion;
import dev.meshaware.spring.testing.AgentJars;
import dev.meshaware.spring.testing.ChildApp;
import dev.meshaware.spring.testing.Downstream;
import dev.meshaware.spring.testing.Inbound;
import dev.meshaware.spring.testing.MvcApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent of another release beside this starter, in a child JVM running a real Spring Boot
 * application "in Kubernetes": the agent's core (in the boot loader) takes the place of the
 * starter's. The starter says so in one line naming both versions and the fix, and switches itself
 * off; the application serves, the agent forwards the headers, and no linkage error shows.
 */
class CoreVersionMismatchTest {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void olderAgentWhoseCoreLacksAClassTheStarterUsesLeavesOneLineAndNothingBreaks(@TempDir Path dir)
      throws Exception {
    // The starter's core has SidecarStatus (its health check calls it), the agent's does not: a
    // class added to core after the agent's release. Loaded from the starter's copy, it could not
    // reach the package-private members of the agent's.
    Path agent =
        AgentJars.withCore(
            dir,
            Map.of("dev.meshaware.core.CoreVersion", coreVersion("0.0.9")),
            Set.of("dev.meshaware.core.startup.SidecarStatus"));
    agentDoesTheWorkAndTheStarterSaysOnce(agent, "0.0.9");
  }

  @Test
  void newerAgentWithAClassThisStarterDoesNotKnowLeavesOneLineAndNothingBreaks(@TempDir Path dir)
      throws Exception {
    Path agent =
        AgentJars.withCore(
            dir,
            Map.of(
                "dev.meshaware.core.CoreVersion",
                coreVersion("0.2.0"),
                "dev.meshaware.core.AddedLater",
                "package dev.meshaware.core;\npublic final class AddedLater {}\n"),
            Set.of());
    agentDoesTheWorkAndTheStarterSaysOnce(agent, "0.2.0");
  }

  private static String coreVersion(String version) {
    return "package dev.meshaware.core;\n"
        + "public final class CoreVersion {\n"
        + "  public static final String VERSION = \""
        + version
        + "\";\n"
        + "  private CoreVersion() {}\n"
        + "}\n";
  }

  private static void agentDoesTheWorkAndTheStarterSaysOnce(Path agent, String agentVersion)
      throws Exception {
    try (Downstream downstream = new Downstream();
        ChildApp child =
            ChildApp.start(
                agent,
                Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1"),
                MvcApp.class,
                List.of(
                    "-Dmeshaware.propagation.extra-headers=" + Inbound.EXTRA,
                    "-Dmeshaware.startup.mode=never",
                    "-Dmeshaware.shutdown.delay=1s",
                    "-Dmeshaware.shutdown.quit-proxy=never"),
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--spring.main.banner-mode=off",
                "--app.downstream=" + downstream.url(),
                "--management.endpoints.web.exposure.include=health,meshaware")) {
      int port = Integer.parseInt(child.awaitLine(MvcApp.PORT_LINE, Duration.ofSeconds(90)));

      for (String client : List.of("resttemplate", "restclient", "webclient", "okhttp")) {
        String path = "/mismatch-" + client;
        assertThat(get(port, "/call/" + client + "?path=" + path, Inbound.all()).statusCode())
            .as(client + "\n" + child.output())
            .isEqualTo(200);
        LoggedRequest received = downstream.received(path);
        for (Map.Entry<String, String> header : Inbound.forwarded().entrySet()) {
          assertThat(Downstream.values(received, header.getKey()))
              .as(client + ": " + header.getKey() + "\n" + child.output())
              .containsExactly(header.getValue());
        }
      }
      HttpResponse<String> health = get(port, "/actuator/health", Map.of());
      assertThat(health.statusCode()).as(health.body() + "\n" + child.output()).isEqualTo(200);
      assertThat(get(port, "/actuator/meshaware", Map.of()).statusCode())
          .as("the starter is off")
          .isEqualTo(404);

      String output = child.output();
      assertThat(output.lines().filter(line -> line.contains("[meshaware] WARNING the meshaware")))
          .as(output)
          .singleElement()
          .asString()
          .contains(
              "the meshaware agent in this JVM is version "
                  + agentVersion
                  + " and this Spring Boot starter "
                  + CoreVersion.VERSION
                  + ": ",
              "Use the same meshaware version for the agent and the starter");
      assertThat(output)
          .doesNotContain(
              "NoSuchMethodError",
              "IllegalAccessError",
              "NoClassDefFoundError",
              "LinkageError",
              "[meshaware] ERROR");
      assertThat(lines(output, "[meshaware]"))
          .as("the agent alone speaks, and the starter's one line")
          .noneMatch(line -> line.contains("the meshaware agent is attached"));
    }
  }

  private static List<String> lines(String output, String text) {
    return output.lines().filter(line -> line.contains(text)).collect(Collectors.toList());
  }

  private static HttpResponse<String> get(int port, String path, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30));
    headers.forEach(request::header);
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
