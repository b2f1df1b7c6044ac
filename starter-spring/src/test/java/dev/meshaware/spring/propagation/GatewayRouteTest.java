package dev.meshaware.spring.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.meshaware.spring.testing.Downstream;
import dev.meshaware.spring.testing.GatewayApp;
import dev.meshaware.spring.testing.GatewayClassPath;
import dev.meshaware.spring.testing.Inbound;
import dev.meshaware.spring.testing.RunningApp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;

/**
 * A Spring Cloud Gateway application with the starter, routing to the recording downstream: each
 * header meshaware forwards arrives exactly once (whatever its case), with the inbound value; a
 * request without them arrives without them, also right after requests that had them; a route that
 * removes a header keeps it removed. One subclass per gateway flavour.
 */
abstract class GatewayRouteTest {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  static Downstream downstream;
  static RunningApp gateway;

  /**
   * Starts a gateway of {@code flavour}, its routes under {@code spring.cloud.gateway.server.*}.
   */
  static void start(WebApplicationType type, GatewayClassPath flavour) {
    assumeTrue(
        flavour.resolved(), "Spring Cloud Gateway " + flavour + " is not resolved for this Boot");
    downstream = new Downstream();
    String routes =
        "spring.cloud.gateway.server." + flavour.name().toLowerCase(Locale.ROOT) + ".routes";
    gateway =
        RunningApp.start(
            type,
            GatewayApp.class,
            flavour.loader(RunningApp.Tracing.NONE.loader()),
            "meshaware.propagation.extra-headers=" + Inbound.EXTRA,
            routes + "[0].id=routed",
            routes + "[0].uri=" + downstream.url(),
            routes + "[0].predicates[0]=Path=/routed/**",
            routes + "[1].id=stripped",
            routes + "[1].uri=" + downstream.url(),
            routes + "[1].predicates[0]=Path=/stripped/**",
            routes + "[1].filters[0]=RemoveRequestHeader=" + Inbound.EXTRA);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
      gateway = null;
    }
    if (downstream != null) {
      downstream.close();
      downstream = null;
    }
  }

  /** What the client sends: every header meshaware forwards (B3 single as well) and others. */
  private static Map<String, String> traced(String id) {
    Map<String, String> headers = new LinkedHashMap<>(Inbound.all());
    headers.put("x-request-id", id);
    headers.put(Inbound.EXTRA, "user-" + id);
    headers.put("b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90");
    return headers;
  }

  private static Iterable<String> forwardedNames() {
    return traced("names").keySet().stream()
            .filter(name -> !Inbound.notForwarded().containsKey(name))
        ::iterator;
  }

  @Test
  void routeForwardsEachHeaderOnceWithItsInboundValue() throws Exception {
    Map<String, String> sent = traced("once");
    assertThat(gateway.get("/routed/once", sent).statusCode()).isEqualTo(200);

    LoggedRequest received = downstream.received("/routed/once");
    for (String name : forwardedNames()) {
      assertThat(Downstream.values(received, name)).as(name).containsExactly(sent.get(name));
    }
  }

  @Test
  void requestsWithoutHeadersArriveWithoutThemBetweenRequestsWithThem() throws Exception {
    for (int round = 0; round < 4; round++) {
      String id = "round-" + round;
      assertThat(gateway.get("/routed/traced-" + round, traced(id)).statusCode()).isEqualTo(200);
      assertThat(gateway.get("/routed/bare-" + round, Map.of()).statusCode()).isEqualTo(200);

      LoggedRequest traced = downstream.received("/routed/traced-" + round);
      assertThat(Downstream.values(traced, "x-request-id")).containsExactly(id);
      assertThat(Downstream.values(traced, Inbound.EXTRA)).containsExactly("user-" + id);
      LoggedRequest bare = downstream.received("/routed/bare-" + round);
      for (String name : forwardedNames()) {
        assertThat(Downstream.values(bare, name)).as(round + ": " + name).isEmpty();
      }
    }
  }

  @Test
  void routeThatRemovesAHeaderKeepsItRemoved() throws Exception {
    Map<String, String> sent = traced("stripped");
    assertThat(gateway.get("/stripped/one", sent).statusCode()).isEqualTo(200);

    LoggedRequest received = downstream.received("/stripped/one");
    assertThat(Downstream.values(received, Inbound.EXTRA)).isEmpty();
    assertThat(Downstream.values(received, "x-request-id")).containsExactly("stripped");
  }

  /** The control: a header the client itself sends twice (in two cases) is counted twice. */
  @Test
  void aHeaderSentTwiceIsCountedTwice() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/routed/twice"))
            .timeout(Duration.ofSeconds(30))
            .header("x-request-id", "twice")
            .header("X-Request-Id", "twice")
            .build();
    assertThat(send(request).statusCode()).isEqualTo(200);

    assertThat(Downstream.values(downstream.received("/routed/twice"), "x-request-id"))
        .containsExactly("twice", "twice");
  }

  private static HttpResponse<String> send(HttpRequest request)
      throws IOException, InterruptedException {
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
