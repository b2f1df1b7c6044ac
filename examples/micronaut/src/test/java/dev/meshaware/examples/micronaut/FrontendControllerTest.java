package dev.meshaware.examples.micronaut;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Property;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Service A in a test context, calling a real service B started beside it on loopback. */
@MicronautTest
@Property(name = "example.role", value = "frontend")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FrontendControllerTest implements TestPropertyProvider {
  private EmbeddedServer backend;

  @Inject
  @Client("/")
  HttpClient client;

  @Override
  public Map<String, String> getProperties() {
    backend =
        ApplicationContext.run(
            EmbeddedServer.class, Map.of("example.role", "backend", "micronaut.server.port", -1));
    return Map.of("micronaut.http.services.backend.url", backend.getURL().toString());
  }

  @AfterAll
  void stopBackend() {
    backend.close();
  }

  private String get(String path) {
    return client.toBlocking().retrieve(HttpRequest.GET(path), String.class);
  }

  @Test
  void declarativeEndpointAnswersWithTheBackendsLine() {
    assertThat(get("/declarative")).startsWith("via=declarative x-request-id=");
  }

  @Test
  void lowLevelEndpointAnswersWithTheBackendsLine() {
    assertThat(get("/low-level")).startsWith("via=low-level x-request-id=");
  }

  @Test
  void chainCallsTheBackendTwiceTheSecondAfterTheFirst() {
    assertThat(get("/chain").lines())
        .hasSize(2)
        .satisfiesExactly(
            first -> assertThat(first).startsWith("via=chain-first "),
            second -> assertThat(second).startsWith("via=chain-second "));
  }

  @Test
  void queuedEndpointAnswersWithTheBackendsLine() {
    assertThat(get("/queued")).startsWith("via=queued x-request-id=");
  }

  @Test
  void endUserSetByTheApplicationReachesTheBackend() {
    assertThat(get("/as-user")).contains(" end-user=[app-user]");
  }
}
