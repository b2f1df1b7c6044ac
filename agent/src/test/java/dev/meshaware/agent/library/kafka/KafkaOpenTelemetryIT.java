package dev.meshaware.agent.library.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.meshaware.agent.testing.ChildJvm;
import dev.meshaware.agent.testing.MeshedService;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * With the OpenTelemetry agent attached too (it writes {@code traceparent} to the records it sees
 * sent), a record carries one {@code traceparent}, OpenTelemetry's, and meshaware adds only what
 * OpenTelemetry does not write; whichever agent comes first on the command line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaOpenTelemetryIT {
  private static final Path OTEL =
      Paths.get("target", "child-libs", "otel", "opentelemetry-javaagent.jar");
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private KafkaBroker broker;

  @BeforeAll
  void start() throws Exception {
    broker = KafkaBroker.start();
    broker.createTopics(Map.of("e2e", 1));
  }

  @AfterAll
  void stop() throws Exception {
    if (broker != null) {
      broker.close();
    }
  }

  // One order only (each child with both agents costs seconds of CI): meshaware acts in doSend,
  // after OpenTelemetry's send advice, whichever agent transformed KafkaProducer first.
  @ParameterizedTest(name = "OpenTelemetry agent first: {0}")
  @ValueSource(booleans = {true})
  void openTelemetrysTraceparentWinsOnTheRecordAndNothingIsDuplicated(boolean otelFirst)
      throws Exception {
    ChildJvm jvm =
        ChildJvm.running(KafkaApp.class)
            .withOtherAgent(OTEL, otelFirst)
            .property("otel.traces.exporter", "none")
            .property("otel.metrics.exporter", "none")
            .property("otel.logs.exporter", "none")
            .property("otel.javaagent.logging", "none")
            .property("app.bootstrap", broker.bootstrap())
            .property("app.consumers", "e2e:1")
            .property("meshaware.propagation.extra-headers", "end-user")
            .property("meshaware.startup.mode", "never")
            .property("app.otherAgent", "true");
    try (MeshedService service = MeshedService.start("jdk", jvm)) {
      String id = "otel-" + otelFirst;
      Map<String, String> sent = KafkaPropagationIT.traceHeaders(id);
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(service.baseUrl() + "/produce?topic=e2e&value=" + id))
              .timeout(Duration.ofSeconds(30));
      sent.forEach(request::header);
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(service.output()).isEqualTo(200);
      LoggedRequest call = awaitCall(service, "/rec/" + id + "?");
      String url = call.getUrl();
      assertThat(url).as("one traceparent on the record").contains("traceparents=1");
      String onRecord =
          URLDecoder.decode(url.substring(url.indexOf("&tp=") + 4), StandardCharsets.UTF_8);
      String inbound = sent.get("traceparent");
      assertThat(onRecord.substring(0, 36))
          .as("OpenTelemetry continues the inbound trace")
          .isEqualTo(inbound.substring(0, 36));
      assertThat(onRecord).as("OpenTelemetry's producer span wins").isNotEqualTo(inbound);
      for (String name : List.of("x-request-id", "x-b3-traceid", "b3", "end-user")) {
        assertThat(call.getHeaders().getHeader(name).values())
            .as(name + " forwarded once by meshaware")
            .containsExactly(sent.get(name));
      }
      assertThat(service.output()).doesNotContain("Exception", "[meshaware] ERROR");
    }
  }

  private static LoggedRequest awaitCall(MeshedService service, String prefix)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      for (ServeEvent event : service.downstream().getAllServeEvents()) {
        if (event.getRequest().getUrl().startsWith(prefix)) {
          return event.getRequest();
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no call " + prefix + "\n" + service.output());
  }
}
