package dev.meshaware.spring;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.meshaware.spring.testing.AgentJars;
import dev.meshaware.spring.testing.ChildApp;
import dev.meshaware.spring.testing.Downstream;
import dev.meshaware.spring.testing.Inbound;
import dev.meshaware.spring.testing.MvcApp;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real failure of the agent's start beside the starter, in a child JVM "in Kubernetes": the agent
 * jar repackaged without {@code Can-Retransform-Classes: true} in its manifest, so the JVM refuses
 * the agent's transformer after the agent ran its gate and took SIGTERM. The starter says so in one
 * line and does what the agent could not: it forwards the headers, checks the listen address and
 * reports mesh failures; the agent's shutdown delay runs, once.
 */
class FailedAgentStartTest {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final String ENVOY_BODY = "no healthy upstream";

  @Test
  void starterDoesWhatTheFailedAgentCouldNotAndSaysWhy(@TempDir Path dir) throws Exception {
    int port = freePort(); // a port Spring picks (0) is no Service's target: no bind warning
    try (Downstream downstream = new Downstream();
        ChildApp child =
            ChildApp.start(
                AgentJars.withoutRetransformation(dir),
                Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1"),
                MvcApp.class,
                List.of(
                    "-Dmeshaware.propagation.extra-headers=" + Inbound.EXTRA,
                    "-Dmeshaware.startup.mode=never",
                    "-Dmeshaware.shutdown.delay=1s",
                    "-Dmeshaware.shutdown.quit-proxy=never",
                    "-Dmeshaware.report.enabled=false"),
                "--server.port=" + port,
                "--server.address=127.0.0.1",
                "--spring.main.banner-mode=off",
                "--app.downstream=" + downstream.url(),
                "--management.endpoints.web.exposure.include=meshaware")) {
      downstream.answer(
          "/envoy",
          aResponse()
              .withStatus(503)
              .withHeader("server", "envoy")
              .withHeader("content-type", "text/plain")
              .withHeader("content-length", String.valueOf(ENVOY_BODY.length()))
              .withBody(ENVOY_BODY));
      child.awaitLine(MvcApp.PORT_LINE, Duration.ofSeconds(90));

      for (String client : List.of("resttemplate", "restclient", "webclient", "okhttp")) {
        String path = "/failed-agent-" + client;
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
      get(port, "/call/restclient?path=/envoy", Map.of());
      String report = get(port, "/actuator/meshaware", Map.of()).body();

      assertThat(report)
          .contains(
              "\"ranBy\":\"agent\"",
              "\"forwardedBy\":\"starter\"",
              "\"checkedBy\":\"starter\"",
              "\"heldBy\":\"agent\"",
              "\"installedBy\":\"starter\"");
      assertThat(child.terminate(Duration.ofSeconds(30))).isEqualTo(143);
      String output = child.output();
      assertThat(lines(output, "agent start failed"))
          .as(output)
          .singleElement()
          .asString()
          .contains(
              "[meshaware] WARNING agent start failed: instrumentation unavailable"
                  + " (java.lang.UnsupportedOperationException",
              "; the starter takes over header forwarding, the listen-address check and failure"
                  + " diagnostics, the agent still does the startup gate and the shutdown delay");
      assertThat(lines(output, "WARNING server socket 127.0.0.1:" + port)).as(output).hasSize(1);
      assertThat(lines(output, "WARNING mesh failure UH")).as(output).hasSize(1);
      assertThat(lines(output, "(meshaware.shutdown.delay)"))
          .as("the agent's delay, and the starter's not as well")
          .singleElement()
          .asString()
          .contains("SIGTERM: draining");
      assertThat(output).doesNotContain("the meshaware agent is attached");
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
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
