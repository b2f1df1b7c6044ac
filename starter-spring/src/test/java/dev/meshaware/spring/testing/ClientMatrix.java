package dev.meshaware.spring.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every client of a test application must do with the headers of the request it serves, for
 * each client its subclass's static {@code clients()} names. The application answers {@code GET
 * /call?client=name&path=/p[&own=true][&host=localhost]} by calling the downstream's {@code /p}
 * through that client, with {@link #OWN} set on the call itself when {@code own}, and at the same
 * server by the name {@code host} when given ({@code
 * meshaware.propagation.exclude-hosts=localhost}).
 */
public abstract class ClientMatrix {
  /** What the application sets on a call itself ({@code own=true}), in another case. */
  public static final Map<String, String> OWN =
      Map.of("x-request-id", "app-own", Inbound.EXTRA, "app-user");

  /** The application under test. */
  protected abstract RunningApp app();

  /** The downstream it calls. */
  protected abstract Downstream downstream();

  /**
   * The name the application's own interceptor or filter ({@link AppMark}) marks {@code client}'s
   * calls with, or null when it has none.
   */
  protected String mark(String client) {
    return null;
  }

  /** Skips (by assumption) a client the Spring version under test cannot build. */
  protected void assumeAvailable(String client) {}

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void forwardsTheRequestsHeadersExactlyOnce(String client) throws Exception {
    assertThat(call(client, "/fwd-", Inbound.all(), "")).isEqualTo("down");

    LoggedRequest received = received("/fwd-", client);
    Forwarding.exactly(received, client);
    assertThat(Downstream.values(received, AppMark.HEADER))
        .as("the application's own interceptor or filter ran")
        .isEqualTo(mark(client) != null ? List.of(mark(client)) : List.of());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void aRequestWithoutHeadersForwardsNoneRightAfterOneWith(String client) throws Exception {
    call(client, "/before-", Inbound.all(), "");
    assertThat(call(client, "/bare-", Map.of(), "")).isEqualTo("down");

    Forwarding.exactly(received("/before-", client), client);
    Forwarding.none(received("/bare-", client), client);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void headersTheApplicationSetsItselfWin(String client) throws Exception {
    call(client, "/own-", Inbound.all(), "&own=true");

    Map<String, String> expected = new LinkedHashMap<>(OWN);
    if (mark(client) != null) {
      expected.put("x-b3-sampled", "0"); // set by its own interceptor, which runs after ours
    }
    Forwarding.exactly(received("/own-", client), client, expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void anExcludedHostGetsNone(String client) throws Exception {
    assertThat(call(client, "/excluded-", Inbound.all(), "&host=localhost")).isEqualTo("down");

    Forwarding.none(received("/excluded-", client), client);
  }

  /** {@code GET /call} for {@code client} with {@code headers}; the body of the answer. */
  protected String call(String client, String path, Map<String, String> headers, String more)
      throws Exception {
    assumeAvailable(client);
    String query =
        "?client="
            + URLEncoder.encode(client, StandardCharsets.UTF_8)
            + "&path="
            + path
            + label(client)
            + more;
    return app().get("/call" + query, headers).body();
  }

  /** The one request that reached {@code path} (+ the client's label). */
  protected LoggedRequest received(String path, String client) throws InterruptedException {
    return downstream().received(path + label(client));
  }

  /** {@code client} as it can stand in a path: up to a {@code #}. */
  private static String label(String client) {
    int hash = client.indexOf('#');
    return hash < 0 ? client : client.substring(0, hash);
  }
}
