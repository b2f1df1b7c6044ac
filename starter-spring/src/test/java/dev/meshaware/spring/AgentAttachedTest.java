package dev.meshaware.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.meshaware.spring.testing.ChildApp;
import dev.meshaware.spring.testing.Downstream;
import dev.meshaware.spring.testing.Inbound;
import dev.meshaware.spring.testing.MvcApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The meshaware agent and the starter in one JVM (a child started with {@code -javaagent}, "in
 * Kubernetes", so that every feature applies): the agent puts every feature in place, the starter
 * says so once, leaves all of them to the agent, and no header is sent twice.
 */
class AgentAttachedTest {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void starterLeavesTheWorkToTheAgentAndSaysSoOnce() throws Exception {
    try (Downstream downstream = new Downstream();
        ChildApp child =
            ChildApp.start(
                ChildApp.agentJar(),
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
                "--management.endpoints.web.exposure.include=meshaware,conditions",
                // Only Spring sees this one: the starter must say that the agent does not.
                "--meshaware.propagation.exclude-hosts=example.org")) {
      int port = Integer.parseInt(child.awaitLine(MvcApp.PORT_LINE, Duration.ofSeconds(90)));

      for (String client : List.of("resttemplate", "restclient", "webclient", "okhttp")) {
        String path = "/agent-" + client;
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

      String report = get(port, "/actuator/meshaware", Map.of()).body();
      assertThat(report)
          .contains(
              "\"ranBy\":\"agent\"",
              "\"forwardedBy\":\"agent\"",
              "\"checkedBy\":\"agent\"",
              "\"heldBy\":\"agent\"",
              "\"installedBy\":\"agent\"");
      // Boot's conditions report says, for each feature the agent does, why the starter left it
      // out.
      String conditions = get(port, "/actuator/conditions", Map.of()).body();
      for (String feature :
          List.of(
              "header forwarding",
              "the listen-address check",
              "the shutdown delay",
              "failure diagnostics")) {
        assertThat(conditions).contains("the meshaware agent attached to this JVM does " + feature);
      }
      assertThat(conditions)
          .contains("PropagationAutoConfiguration")
          .contains("ShutdownAutoConfiguration#meshawareShutdownDelay")
          .contains("BindCheckAutoConfiguration#meshawareBindCheck");

      String output = child.output();
      assertThat(output.lines().filter(line -> line.contains("the meshaware agent is attached")))
          .as(output)
          .singleElement()
          .asString()
          .endsWith(
              "[meshaware] the meshaware agent is attached to this JVM and does the startup gate,"
                  + " header forwarding, the listen-address check, the shutdown delay and failure"
                  + " diagnostics; the starter leaves that to it and adds what the agent lacks (the"
                  + " actuator endpoint and the sidecar health)");
      assertThat(output)
          .contains("the agent does not read meshaware.propagation.exclude-hosts")
          .doesNotContain("[meshaware] ERROR");
    }
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
