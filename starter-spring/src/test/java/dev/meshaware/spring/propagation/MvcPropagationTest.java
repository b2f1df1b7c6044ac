package dev.meshaware.spring.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.meshaware.spring.testing.Downstream;
import dev.meshaware.spring.testing.Inbound;
import dev.meshaware.spring.testing.MeshLines;
import dev.meshaware.spring.testing.MvcApp;
import dev.meshaware.spring.testing.RunningApp;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.web.client.RestClient;

/**
 * A real Spring MVC application on Tomcat: the headers of each inbound request reach the downstream
 * service byte for byte, once, through every client Spring Boot builds, an {@code OkHttpClient}
 * bean, an {@code @Async} hop and OpenTelemetry's context wrapping.
 */
class MvcPropagationTest {
  private static Downstream downstream;
  private static RunningApp app;
  private static MeshLines lines;

  @BeforeAll
  static void start() {
    lines = new MeshLines();
    downstream = new Downstream();
    app =
        RunningApp.start(
            WebApplicationType.SERVLET,
            MvcApp.class,
            false,
            "app.downstream=" + downstream.url(),
            "meshaware.propagation.extra-headers=" + Inbound.EXTRA,
            "meshaware.propagation.exclude-hosts=localhost");
  }

  @AfterAll
  static void stop() {
    app.close();
    downstream.close();
    lines.close();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"resttemplate", "restclient", "webclient", "async", "okhttp", "otel"})
  void forwardsInboundHeadersExactlyOnce(String client) throws Exception {
    assertThat(app.get("/call/" + client, Inbound.all()).body()).isEqualTo("down");

    LoggedRequest received = downstream.received("/" + client);
    for (Map.Entry<String, String> header : Inbound.forwarded().entrySet()) {
      assertThat(Downstream.values(received, header.getKey()))
          .as(client + ": " + header.getKey())
          .containsExactly(header.getValue());
    }
    for (String name : Inbound.notForwarded().keySet()) {
      assertThat(Downstream.values(received, name)).as(client + ": " + name).isEmpty();
    }
  }

  @Test
  void okHttpChecksEveryRedirectAgainstItsOwnHost() throws Exception {
    // allowed (127.0.0.1) -> excluded (localhost, also loopback) -> allowed again
    downstream.redirect("/ok-chain/1", "http://localhost:" + downstream.port() + "/ok-chain/2");
    downstream.redirect("/ok-chain/2", downstream.url() + "/ok-chain/3");

    assertThat(app.get("/call/okhttp?path=/ok-chain/1", Inbound.all()).body()).isEqualTo("down");

    for (String hop : new String[] {"/ok-chain/1", "/ok-chain/3"}) {
      LoggedRequest received = downstream.received(hop);
      for (Map.Entry<String, String> header : Inbound.forwarded().entrySet()) {
        assertThat(Downstream.values(received, header.getKey()))
            .as(hop + ": " + header.getKey())
            .containsExactly(header.getValue());
      }
    }
    LoggedRequest excluded = downstream.received("/ok-chain/2");
    for (String name : Inbound.forwardedNames()) {
      assertThat(Downstream.values(excluded, name)).as("/ok-chain/2: " + name).isEmpty();
    }
  }

  @Test
  void saysAtStartThatRedirectsOfSpringsClientsAreNotChecked() {
    assertThat(
            lines.containing(
                "[meshaware] meshaware.propagation.exclude-hosts applies to the first request of"
                    + " each RestTemplate, RestClient, WebClient and Feign call"))
        .hasSize(1);
  }

  @Test
  void requestWithoutTraceHeadersForwardsNone() throws Exception {
    assertThat(app.get("/call/restclient?path=/bare", Map.of()).body()).isEqualTo("down");

    LoggedRequest received = downstream.received("/bare");
    for (String name : Inbound.forwardedNames()) {
      assertThat(Downstream.values(received, name)).as(name).isEmpty();
    }
  }

  @Test
  void pooledTaskStartedOutsideAnyRequestCarriesNothing() throws Exception {
    // Workers of the @Async pool exist (created during requests); work submitted from outside
    // any request must not see a previous request's headers.
    app.get("/call/async?path=/before-pooled", Inbound.all());
    Executor pool = app.context().getBean("applicationTaskExecutor", Executor.class);
    RestClient client = app.context().getBean(RestClient.Builder.class).build();
    CompletableFuture<String> done = new CompletableFuture<>();
    pool.execute(
        () ->
            done.complete(
                client.get().uri(downstream.url() + "/pooled").retrieve().body(String.class)));
    assertThat(done.get(10, TimeUnit.SECONDS)).isEqualTo("down");

    LoggedRequest received = downstream.received("/pooled");
    for (String name : Inbound.forwardedNames()) {
      assertThat(Downstream.values(received, name)).as(name).isEmpty();
    }
  }
}
