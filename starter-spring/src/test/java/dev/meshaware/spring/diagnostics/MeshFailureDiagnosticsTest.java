package dev.meshaware.spring.diagnostics;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.meshaware.core.diagnostics.MeshCause;
import dev.meshaware.core.diagnostics.MeshDiagnostics;
import dev.meshaware.core.diagnostics.MeshFailureCounters;
import dev.meshaware.core.diagnostics.OutboundExchange;
import dev.meshaware.core.log.MeshLog;
import dev.meshaware.core.testing.EnvoyReplies;
import dev.meshaware.spring.SpringLogSink;
import dev.meshaware.spring.testing.BootTypes;
import dev.meshaware.spring.testing.MeshLines;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * {@code RestClient}, {@code RestTemplate} and {@code WebClient} from Boot's builders against a
 * WireMock server answering as Envoy does: this pod's sidecar's {@code no healthy upstream} is one
 * line and a count; the application's own 503 (upstream time header, JSON) is neither. What the
 * application gets is unchanged.
 */
class MeshFailureDiagnosticsTest {
  private static final String ENVOY_BODY = "no healthy upstream";

  private WireMockServer server;

  @BeforeEach
  void start() {
    MeshDiagnostics.uninstall();
    server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    server.start();
    server.stubFor(
        get(urlPathEqualTo("/envoy"))
            .willReturn(
                aResponse()
                    .withStatus(503)
                    .withHeader("content-type", "text/plain")
                    .withHeader("content-length", String.valueOf(ENVOY_BODY.length()))
                    .withHeader("server", "envoy")
                    .withBody(ENVOY_BODY)));
    server.stubFor(
        get(urlPathEqualTo("/app"))
            .willReturn(
                aResponse()
                    .withStatus(503)
                    .withHeader("content-type", "application/json")
                    .withHeader("x-envoy-upstream-service-time", "4")
                    .withHeader("server", "envoy")
                    .withBody("{\"error\":\"maintenance\"}")));
    server.stubFor(
        get(urlPathEqualTo("/reset"))
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
  }

  @AfterEach
  void stop() {
    server.stop();
    MeshDiagnostics.uninstall();
  }

  @Test
  void envoysNoHealthyUpstreamIsOneLineAndACountTheAppsOwn503Neither() {
    try (MeshLines lines = new MeshLines();
        ConfigurableApplicationContext context = run()) {
      RestClient client = context.getBean(RestClient.Builder.class).build();
      String url = "http://127.0.0.1:" + server.port();

      ResponseEntity<String> envoy =
          client
              .get()
              .uri(url + "/envoy")
              .retrieve()
              .onStatus(status -> true, (request, response) -> {})
              .toEntity(String.class);
      assertThat(envoy.getStatusCode().value()).isEqualTo(503);
      assertThat(envoy.getBody()).as("the application still gets the body").isEqualTo(ENVOY_BODY);
      assertThat(lines.containing("WARNING mesh failure UH")).as(lines.all().toString()).hasSize(1);

      ResponseEntity<String> app =
          client
              .get()
              .uri(url + "/app")
              .retrieve()
              .onStatus(status -> true, (request, response) -> {})
              .toEntity(String.class);
      assertThat(app.getBody()).isEqualTo("{\"error\":\"maintenance\"}");
      assertThat(lines.containing("mesh failure")).as(lines.all().toString()).hasSize(1);

      MeterRegistry registry = context.getBean(MeterRegistry.class);
      Counter counter =
          registry
              .find("meshaware.mesh.failures")
              .tags("cause", "UH", "host", "127.0.0.1", "origin", "local-sidecar")
              .counter();
      assertThat(counter).as(registry.getMeters().toString()).isNotNull();
      assertThat(counter.count()).isEqualTo(1.0);
    }
  }

  @Test
  void tenThousandDistinctFailingHostsGiveABoundedNumberOfMeters() {
    int hosts = 10_000;
    // Kept out of the test output: up to a thousand first lines, one per new host.
    SpringLogSink.install();
    java.util.function.Consumer<String> previous = MeshLog.redirect(line -> {});
    try (ConfigurableApplicationContext context = run()) {
      for (int i = 0; i < hosts; i++) {
        OutboundExchange exchange = MeshDiagnostics.response("spring-restclient", 503);
        exchange
            .request("GET", "http://tenant-" + i + ".example:8080/orders", null)
            .header("server", "envoy")
            .header("content-type", "text/plain")
            .header("content-length", "19")
            .body(ENVOY_BODY);
        MeshDiagnostics.record(exchange);
      }
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      java.util.Collection<Counter> counters = registry.find(MeshFailureMeters.NAME).counters();
      assertThat(counters).hasSize(MeshFailureMeters.MAX_HOST_TAGS + 1);
      assertThat(counters.stream().mapToDouble(Counter::count).sum()).isEqualTo(hosts);
      assertThat(
              registry
                  .find(MeshFailureMeters.NAME)
                  .tag("host", MeshFailureCounters.OTHER_HOSTS)
                  .counter()
                  .count())
          .isEqualTo(hosts - MeshFailureMeters.MAX_HOST_TAGS);
      assertThat(registry.find(MeshFailureMeters.NAME).tag("host", "tenant-0.example").counter())
          .as("the first hosts keep their own tag")
          .isNotNull();
      assertThat(MeshDiagnostics.counters().snapshot()).hasSize(MeshFailureCounters.MAX_HOSTS + 1);
    } finally {
      MeshLog.redirect(previous);
    }
  }

  @Test
  void restTemplateFromBootsBuilderIsObservedToo() {
    try (MeshLines lines = new MeshLines();
        ConfigurableApplicationContext context = run()) {
      RestTemplate template = BootTypes.restTemplate(context);
      template.setErrorHandler(
          new org.springframework.web.client.DefaultResponseErrorHandler() {
            @Override
            public boolean hasError(org.springframework.http.client.ClientHttpResponse response) {
              return false;
            }
          });
      ResponseEntity<String> envoy =
          template.getForEntity("http://127.0.0.1:" + server.port() + "/envoy", String.class);
      assertThat(envoy.getBody()).isEqualTo(ENVOY_BODY);
      assertThat(lines.containing("WARNING mesh failure UH")).as(lines.all().toString()).hasSize(1);
    }
  }

  @Test
  void aResetWithoutAnAnswerIsLikelyMtlsAndTheAppStillGetsItsException() {
    try (MeshLines lines = new MeshLines();
        ConfigurableApplicationContext context = run()) {
      RestClient client = context.getBean(RestClient.Builder.class).build();
      String url = "http://127.0.0.1:" + server.port() + "/reset";
      assertThatThrownBy(() -> client.get().uri(url).retrieve().toBodilessEntity())
          .isInstanceOf(ResourceAccessException.class);
      assertThat(lines.containing("mesh failure"))
          .as(lines.all().toString())
          .singleElement()
          .satisfies(
              line ->
                  assertThat(line)
                      .startsWith("[meshaware] WARNING mesh failure mTLS-likely (")
                      .contains("GET " + url + " -> no HTTP answer ("));
    }
  }

  @Test
  void webClientFromBootsBuilderIsObservedToo() {
    try (MeshLines lines = new MeshLines();
        ConfigurableApplicationContext context = run()) {
      WebClient client = context.getBean(WebClient.Builder.class).build();
      String url = "http://127.0.0.1:" + server.port();
      ResponseEntity<String> envoy =
          client
              .get()
              .uri(url + "/envoy")
              .retrieve()
              .onStatus(status -> true, response -> Mono.empty())
              .toEntity(String.class)
              .block();
      assertThat(envoy.getBody()).as("the application still gets the body").isEqualTo(ENVOY_BODY);
      assertThat(lines.containing("WARNING mesh failure UH")).as(lines.all().toString()).hasSize(1);

      ResponseEntity<String> app =
          client
              .get()
              .uri(url + "/app")
              .retrieve()
              .onStatus(status -> true, response -> Mono.empty())
              .toEntity(String.class)
              .block();
      assertThat(app.getBody()).isEqualTo("{\"error\":\"maintenance\"}");
      assertThat(lines.containing("mesh failure")).as(lines.all().toString()).hasSize(1);
    }
  }

  private static ConfigurableApplicationContext run() {
    return run(Map.of());
  }

  private static ConfigurableApplicationContext run(Map<String, Object> properties) {
    SpringApplication application = new SpringApplication(ClientApp.class);
    application.setWebApplicationType(WebApplicationType.NONE);
    Map<String, Object> defaults = new java.util.HashMap<>(properties);
    defaults.put("spring.main.banner-mode", "off");
    application.setDefaultProperties(defaults);
    return application.run();
  }

  @Test
  void namesTheCauseOriginAndHintOfEveryMeshFactsRowThroughRestClient() throws Exception {
    for (EnvoyReplies.Row row : EnvoyReplies.ROWS) {
      server.stubFor(get(urlPathEqualTo("/row/" + row.name())).willReturn(row.response()));
    }
    try (MeshLines lines = new MeshLines();
        ConfigurableApplicationContext context =
            run(Map.of("meshaware.diagnostics.repeat-interval", "1s"))) {
      RestClient client = context.getBean(RestClient.Builder.class).build();
      Map<MeshCause, Long> lastLineAt = new java.util.EnumMap<>(MeshCause.class);
      for (EnvoyReplies.Row row : EnvoyReplies.ROWS) {
        Long previous = lastLineAt.get(row.cause());
        if (previous != null) {
          // One line per host and cause per interval: wait it out for a repeated cause.
          Thread.sleep(Math.max(0, previous + 1100 - System.currentTimeMillis()));
        }
        int before = lines.containing("mesh failure").size();
        ResponseEntity<String> got =
            client
                .get()
                .uri("http://127.0.0.1:" + server.port() + "/row/" + row.name())
                .retrieve()
                .onStatus(status -> true, (request, response) -> {})
                .toEntity(String.class);
        lastLineAt.put(row.cause(), System.currentTimeMillis());
        assertThat(got.getStatusCode().value()).as(row.name()).isEqualTo(row.status());
        if (!row.body().isEmpty()) {
          assertThat(got.getBody()).as("what the application got").isEqualTo(row.body());
        }
        List<String> mesh = lines.containing("mesh failure");
        assertThat(mesh).as(row.name() + ": " + lines.all()).hasSize(before + 1);
        assertThat(mesh.get(before))
            .as(row.name())
            .contains(
                "WARNING mesh failure " + row.cause().code() + " (" + row.cause().summary() + ")")
            .contains("from " + row.origin().description() + ":")
            .endsWith("hint: " + row.cause().hint(row.origin()));
      }
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class ClientApp {}
}
