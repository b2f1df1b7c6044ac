package dev.meshaware.examples.webflux;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Smoke test: the example, started for real, forwards the inbound ids downstream. */
class SpringWebfluxExampleTest {

  @Test
  void forwardsTheTraceHeadersDownstream() throws Exception {
    WireMockServer downstream =
        new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    downstream.start();
    downstream.stubFor(
        any(anyUrl())
            .willReturn(
                aResponse()
                    .withHeader("content-type", "application/json")
                    .withBody("{\"service\":\"catalog\"}")));
    ConfigurableApplicationContext context =
        SpringApplication.run(
            ReactiveFrontendApplication.class,
            "--server.port=0",
            "--server.address=127.0.0.1",
            "--frontend.downstream=http://127.0.0.1:" + downstream.port() + "/catalog");
    try {
      int port = ((WebServerApplicationContext) context).getWebServer().getPort();
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                      .header("x-request-id", "example-request")
                      .header("x-b3-traceid", "80f198ee56343ba864fe8b2a57d3eff7")
                      .header("x-b3-spanid", "e457b5a2e4d86bd1")
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("\"service\":\"catalog\"");
      LoggedRequest received = downstream.findAll(getRequestedFor(urlEqualTo("/catalog"))).get(0);
      assertThat(received.getHeader("x-request-id")).isEqualTo("example-request");
      assertThat(received.getHeader("x-b3-traceid")).isEqualTo("80f198ee56343ba864fe8b2a57d3eff7");
      assertThat(received.getHeader("x-b3-spanid")).isEqualTo("e457b5a2e4d86bd1");
    } finally {
      context.close();
      downstream.stop();
    }
  }
}
