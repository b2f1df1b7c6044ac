package dev.meshaware.spring.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.time.Duration;
import java.util.List;

/** A WireMock server on loopback standing in for the service the application calls. */
public final class Downstream implements AutoCloseable {
  private final WireMockServer server;

  public Downstream() {
    server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    server.start();
    server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("down")));
  }

  /** Answers requests to {@code path} with {@code response} instead of 200. */
  public void answer(String path, ResponseDefinitionBuilder response) {
    server.stubFor(any(urlPathEqualTo(path)).willReturn(response));
  }

  /** Answers {@code path} with a 302 to {@code location}. */
  public void redirect(String path, String location) {
    server.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo(path))
            .willReturn(aResponse().withStatus(302).withHeader("Location", location)));
  }

  /** The port it listens on (127.0.0.1). */
  public int port() {
    return server.port();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:41234}. */
  public String url() {
    return "http://127.0.0.1:" + server.port();
  }

  /** The one request that arrived at {@code path}, waiting up to 10 s for it. */
  public LoggedRequest received(String path) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      List<LoggedRequest> requests = server.findAll(getRequestedFor(urlPathEqualTo(path)));
      if (requests.size() == 1) {
        return requests.get(0);
      }
      if (requests.size() > 1 || System.nanoTime() > deadline) {
        throw new AssertionError(requests.size() + " requests arrived at " + path);
      }
      Thread.sleep(20);
    }
  }

  /** Every value of header {@code name} in {@code request}: empty when absent. */
  public static List<String> values(LoggedRequest request, String name) {
    HttpHeader header = request.getHeaders().getHeader(name);
    return header.isPresent() ? header.values() : List.of();
  }

  @Override
  public void close() {
    server.stop();
  }
}
