package dev.meshaware.spring.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * What every client of a test application must do with the headers of the request it serves, for
 * each client {@link #clients()} names, in one application per test class. The application answers
 * {@code GET /call?client=name&path=/p[&own=true][&host=localhost]} by calling {@link #url} through
 * that client, with {@link #OWN} set on the call itself when {@code own} ({@link #own}).
 *
 * <p>The application runs with {@code meshaware.propagation.exclude-hosts=localhost}; a servlet one
 * serves with one Tomcat thread, so that each request runs where the one before it ran.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ClientMatrix {
  /** What the application sets on a call itself ({@code own=true}), in another case. */
  public static final Map<String, String> OWN =
      Map.of("x-request-id", "app-own", Inbound.EXTRA, "app-user");

  protected Downstream downstream;
  protected RunningApp app;

  /** The application's configuration class. */
  protected abstract Class<?> application();

  /** The names of its clients, as its {@code GET /call} knows them. */
  protected abstract List<String> clients();

  protected WebApplicationType webType() {
    return WebApplicationType.SERVLET;
  }

  /** Its settings besides the common ones. */
  protected List<String> settings() {
    return List.of();
  }

  /** Runs before the application starts. */
  protected void beforeStart() {}

  /** Runs once it has stopped. */
  protected void afterStop() {}

  /**
   * The name the application's own interceptor or filter ({@link AppMark}) marks {@code client}'s
   * calls with, or null when it has none.
   */
  protected String mark(String client) {
    return null;
  }

  /** Skips (by assumption) a client the Spring version under test cannot build. */
  protected void assumeAvailable(String client) {}

  @BeforeAll
  void start() {
    beforeStart();
    downstream = new Downstream();
    List<String> settings = new ArrayList<>();
    settings.add("app.downstream=" + downstream.url());
    settings.add("app.downstream-port=" + downstream.port());
    settings.add("meshaware.propagation.extra-headers=" + Inbound.EXTRA);
    settings.add("meshaware.propagation.exclude-hosts=localhost");
    if (webType() == WebApplicationType.SERVLET) {
      settings.add("server.tomcat.threads.max=1");
      settings.add("server.tomcat.threads.min-spare=1");
    }
    settings.addAll(settings());
    app = RunningApp.start(webType(), application(), false, settings.toArray(String[]::new));
  }

  @AfterAll
  void stop() {
    try {
      if (app != null) {
        app.close();
      }
      downstream.close();
    } finally {
      afterStop();
    }
  }

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

  /**
   * {@code GET /call} for {@code client} and {@code path} + the client's label, with {@code
   * headers} and the query's {@code more}; the body of the answer.
   */
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
    return app.get("/call" + query, headers).body();
  }

  /** The one request that reached {@code path} + the client's label. */
  protected LoggedRequest received(String path, String client) throws InterruptedException {
    return downstream.received(path + label(client));
  }

  /**
   * The URL a {@code GET /call} names: the downstream's {@code path}, or the same server's by the
   * name {@code host} when given.
   */
  public static String url(Environment environment, String path, String host) {
    return host == null
        ? environment.getProperty("app.downstream") + path
        : "http://" + host + ":" + environment.getProperty("app.downstream-port") + path;
  }

  /** Sets {@link #OWN} on a call when {@code own} (its extra header in another case). */
  public static Consumer<HttpHeaders> own(boolean own) {
    return headers -> {
      if (own) {
        headers.set("x-request-id", OWN.get("x-request-id"));
        headers.set("End-User", OWN.get(Inbound.EXTRA));
      }
    };
  }

  /**
   * The application's {@code GET /call}: each test application has one, a {@code @RestController}
   * that answers through the client named, with a body of type {@code T} ({@code String}, or {@code
   * Mono<String>} in a pipeline).
   */
  public abstract static class Endpoint<T> {
    protected final ApplicationContext context;
    protected final Environment environment;

    protected Endpoint(ApplicationContext context) {
      this.context = context;
      this.environment = context.getEnvironment();
    }

    @GetMapping("/call")
    public T call(
        @RequestParam("client") String client,
        @RequestParam("path") String path,
        @RequestParam(name = "host", required = false) String host,
        @RequestParam(name = "own", defaultValue = "false") boolean own) {
      return through(client, path, host, own);
    }

    /**
     * Calls the downstream's {@code path} (at {@code host} when given, see {@link #url}) through
     * {@code client}, with {@link #OWN} when {@code own}; the body.
     */
    protected abstract T through(String client, String path, String host, boolean own);

    /** {@link ClientMatrix#url} in this application. */
    protected String url(String path, String host) {
      return ClientMatrix.url(environment, path, host);
    }
  }

  /** {@code client} as it can stand in a path: up to a {@code #}. */
  private static String label(String client) {
    int hash = client.indexOf('#');
    return hash < 0 ? client : client.substring(0, hash);
  }
}
