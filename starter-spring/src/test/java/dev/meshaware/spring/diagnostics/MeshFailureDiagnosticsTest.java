package dev.meshaware.spring.diagnostics;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.meshaware.core.diagnostics.MeshDiagnostics;
import dev.meshaware.spring.testing.BootTypes;
import dev.meshaware.spring.testing.MeshLines;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
    SpringApplication application = new SpringApplication(ClientApp.class);
    application.setWebApplicationType(WebApplicationType.NONE);
    application.setDefaultProperties(Map.of("spring.main.banner-mode", "off"));
    return application.run();
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class ClientApp {}
}
