package dev.meshaware.examples.plain;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Smoke test: two example services chained, both with the agent; the ids reach both hops. */
class PlainJavaExampleIT {
  private static final List<String> AGENT =
      List.of("-javaagent:" + System.getProperty("meshaware.test.agentJar"));

  @Test
  void forwardsTheTraceHeadersThroughBothServices() throws Exception {
    try (ServiceProcess stock = ServiceProcess.start("stock", null, AGENT, Map.of());
        ServiceProcess catalog =
            ServiceProcess.start(
                "catalog", "http://127.0.0.1:" + stock.port() + "/", AGENT, Map.of())) {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + catalog.port() + "/"))
                      .header("x-request-id", "demo-request-1")
                      .header("x-b3-traceid", "463ac35c9f6413ad48485a3953bb6124")
                      .header("x-b3-spanid", "a2fb4a1d1a96d312")
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body())
          .contains("\"service\":\"catalog\",\"x-request-id\":\"demo-request-1\"")
          .contains("\"service\":\"stock\",\"x-request-id\":\"demo-request-1\"")
          .contains("\"x-b3-traceid\":\"463ac35c9f6413ad48485a3953bb6124\"");
    }
  }
}
