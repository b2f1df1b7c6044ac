package dev.meshaware.examples.quarkus;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The application's own suite, run with the agent attached (see the surefire argLine): A and B are
 * the same application here, so each answer shows what reached B.
 */
@QuarkusTest
class FrontendResourceTest {
  private static final String TRACEPARENT =
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @TestHTTPResource("/front/")
  URL front;

  private String get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(front + path));
    if (headers.length > 0) {
      request.headers(headers);
    }
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  @Test
  void blockingCallReachesTheBackendWithTheCallersIds() throws Exception {
    String body =
        get(
            "blocking",
            "x-request-id",
            "suite-blocking-1",
            "traceparent",
            TRACEPARENT,
            "end-user",
            "alice");

    assertThat(body)
        .isEqualTo(
            "blocking x-request-id=[suite-blocking-1] traceparent=["
                + TRACEPARENT
                + "] end-user=[alice]");
  }

  @Test
  void uniChainCarriesTheCallersIdsOnBothHops() throws Exception {
    String body = get("chain", "x-request-id", "suite-chain-1", "x-b3-traceid", "80f198ee56343ba8");

    assertThat(body)
        .isEqualTo(
            "hop1 x-request-id=[suite-chain-1] x-b3-traceid=[80f198ee56343ba8]\n"
                + "hop2 x-request-id=[suite-chain-1] x-b3-traceid=[80f198ee56343ba8]");
  }

  @Test
  void requestWithoutIdsReachesTheBackendWithout() throws Exception {
    assertThat(get("chain")).isEqualTo("hop1\nhop2");
  }
}
