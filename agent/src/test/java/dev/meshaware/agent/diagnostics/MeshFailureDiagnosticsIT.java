package dev.meshaware.agent.diagnostics;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.meshaware.agent.apps.ServiceApp;
import dev.meshaware.agent.testing.ChildJvm;
import dev.meshaware.agent.testing.MeshedService;
import dev.meshaware.core.diagnostics.FailureOrigin;
import dev.meshaware.core.diagnostics.MeshCause;
import dev.meshaware.core.testing.EnvoyReplies;
import dev.meshaware.core.testing.EnvoyReplies.Row;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Mesh failure diagnostics in a real child JVM with the agent: the service calls a WireMock
 * downstream that answers exactly as Envoy does (body, headers), through each client, while serving
 * a request that carries an x-request-id; the child's log must name the right cause, origin and
 * hint, and the application must get the answer unchanged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MeshFailureDiagnosticsIT {
  private static final Duration REPEAT_INTERVAL = Duration.ofSeconds(1);
  private static final AtomicInteger IDS = new AtomicInteger();

  private MeshedService service;
  private final Map<MeshCause, Long> lastLineAt = new EnumMap<>(MeshCause.class);

  /**
   * A child JVM for the service. On JDK 22 and newer, Netty's native transport (Reactor Netty)
   * makes the JVM warn about restricted methods unless native access is enabled, as applications
   * that use it do; that warning is not the agent's, and every other one must stay visible.
   */
  private static ChildJvm serviceJvm() {
    ChildJvm jvm = ChildJvm.running(ServiceApp.class);
    return ChildJvm.javaFeatureVersion() >= 22
        ? jvm.jvmOption("--enable-native-access=ALL-UNNAMED")
        : jvm;
  }

  @BeforeAll
  void startService() throws Exception {
    service =
        MeshedService.start(
            "jdk",
            serviceJvm()
                .property("meshaware.diagnostics.repeat-interval", "1s")
                .property("meshaware.report.delay", "8s"));
    for (Row row : EnvoyReplies.ROWS) {
      service
          .downstream()
          .stubFor(get(urlPathEqualTo("/row/" + row.name())).willReturn(row.response()));
    }
    service
        .downstream()
        .stubFor(
            get(urlPathEqualTo("/app-503"))
                .willReturn(appAnswer(503, "{\"error\":\"inventory unavailable\"}")));
    service
        .downstream()
        .stubFor(
            get(urlPathEqualTo("/app-404"))
                .willReturn(appAnswer(404, "{\"error\":\"no such order\"}")));
    service
        .downstream()
        .stubFor(
            get(urlPathEqualTo("/reset"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    // Load the clients before the startup report is printed.
    call("okhttp", "/warm-up", "warm-up-1");
    call("jdk", "/warm-up", "warm-up-2");
  }

  @AfterAll
  void stopService() throws Exception {
    if (service != null) {
      assertThat(service.output())
          .as("the agent must not make the JVM print warnings")
          .doesNotContain("sun.misc.Unsafe", "WARNING: ");
      service.close();
    }
  }

  /** The destination application's own answer, through the mesh: upstream time, JSON body. */
  private static ResponseDefinitionBuilder appAnswer(int status, String json) {
    return aResponse()
        .withStatus(status)
        .withHeader("server", "envoy")
        .withHeader("x-envoy-upstream-service-time", "7")
        .withHeader("content-type", "application/json")
        .withBody(json);
  }

  private String call(String client, String path, String requestId) throws Exception {
    String encoded = java.net.URLEncoder.encode(path, java.nio.charset.StandardCharsets.UTF_8);
    return service.call(
        "client=" + client + "&read=body&path=" + encoded, Map.of("x-request-id", requestId));
  }

  /** Waits until a line of {@code cause} may be printed again (one per host and cause per 1s). */
  private void awaitRepeatInterval(MeshCause cause) throws InterruptedException {
    Long last = lastLineAt.get(cause);
    if (last != null) {
      long wait = last + REPEAT_INTERVAL.toMillis() + 150 - System.currentTimeMillis();
      if (wait > 0) {
        Thread.sleep(wait);
      }
    }
  }

  /** The downstream's URL as the service calls it. */
  private static String downstreamUrl(MeshedService service) {
    return "http://127.0.0.1:" + service.downstream().port();
  }

  private String expectLine(String client, Row row, MeshCause cause, String requestId)
      throws Exception {
    return expectLine(client, row, cause, requestId, true);
  }

  /**
   * The line for {@code requestId}: cause, origin, call; with {@code bodyRead} (the client let
   * meshaware see the body) Envoy's body is the evidence, else the line says it was not read.
   */
  private String expectLine(
      String client, Row row, MeshCause cause, String requestId, boolean bodyRead)
      throws Exception {
    String line = service.awaitLineContaining("x-request-id=" + requestId, Duration.ofSeconds(15));
    lastLineAt.put(cause, System.currentTimeMillis());
    String downstream = downstreamUrl(service);
    assertThat(line)
        .as(client + " " + row.name())
        .startsWith(
            "[meshaware] WARNING mesh failure " + cause.code() + " (" + cause.summary() + ")")
        .contains("from " + row.origin().description() + ":")
        .contains("GET " + downstream + "/row/" + row.name() + " -> " + row.status())
        .doesNotContain("secret");
    if (!row.body().isEmpty() && cause == row.cause()) {
      assertThat(line)
          .contains(
              bodyRead
                  ? "Envoy's body \"" + row.body() + "\""
                  : "body not read: text/plain of the length of Envoy's \"" + row.body() + "\"");
    }
    return line;
  }

  /**
   * The JDK client with a handler that holds the body whole. OkHttp sees a body only when it came
   * with the headers, which WireMock does not promise (it may write them apart): its rows are in
   * {@link DiagnosticsFidelityIT}, against a server that answers in one write as Envoy does.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"jdk", "jdk-async"})
  void namesTheCauseAndHintOfEveryMeshFactsRow(String client) throws Exception {
    for (Row row : EnvoyReplies.ROWS) {
      awaitRepeatInterval(row.cause());
      String id = "diag-" + client + "-" + row.name() + "-" + IDS.incrementAndGet();
      String got = call(client, "/row/" + row.name() + "?secret=token", id);
      assertThat(got).as("what the application got").isEqualTo(row.status() + " " + row.body());
      String line = expectLine(client, row, row.cause(), id);
      assertThat(line).endsWith("hint: " + row.cause().hint(row.origin()));
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "okhttp",
        "okhttp-async",
        "jdk",
        "jdk-async",
        "urlconnection",
        "apache5",
        "apache5-async",
        "apache4",
        "reactor-netty"
      })
  void neverBlamesTheApplicationsOwn503Or404(String client) throws Exception {
    for (String path : List.of("/app-503", "/app-404")) {
      String id = "app-" + client + path + "-" + IDS.incrementAndGet();
      String got = call(client, path, id);
      assertThat(got).as(client + path).startsWith(path.substring(5) + " {\"error\"");
      Thread.sleep(300);
      assertThat(service.linesContaining(id)).as(client + path).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "okhttp",
        "okhttp-async",
        "jdk",
        "jdk-async",
        "urlconnection",
        "apache5",
        "apache5-async",
        "apache4",
        "reactor-netty"
      })
  void aConnectionResetWithoutAnAnswerIsLikelyMtls(String client) throws Exception {
    awaitRepeatInterval(MeshCause.MTLS_LIKELY);
    String id = "reset-" + client + "-" + IDS.incrementAndGet();
    assertThat(call(client, "/reset", id)).as(client).startsWith("error ");
    String line = service.awaitLineContaining("x-request-id=" + id, Duration.ofSeconds(15));
    lastLineAt.put(MeshCause.MTLS_LIKELY, System.currentTimeMillis());
    assertThat(line)
        .startsWith("[meshaware] WARNING mesh failure mTLS-likely (")
        .contains("GET " + downstreamUrl(service) + "/reset -> no HTTP answer (")
        .endsWith("hint: " + MeshCause.MTLS_LIKELY.hint(FailureOrigin.REMOTE_SIDECAR_OR_GATEWAY));
  }

  /**
   * Clients whose body meshaware does not read (it is a stream the application reads) still
   * recognise the local sidecar's reply by its headers: Envoy's fixed texts by their length (and
   * the line says the body was not read), an empty 404 exactly.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"urlconnection", "apache5", "apache5-async", "apache4", "reactor-netty"})
  void clientsClassifiedOnHeadersStillTellTheSidecarsReply(String client) throws Exception {
    Row uh = EnvoyReplies.ROWS.get(0);
    Row nr =
        EnvoyReplies.ROWS.stream().filter(r -> r.name().equals("nr")).findFirst().orElseThrow();
    List<Object[]> cases = new ArrayList<>();
    cases.add(new Object[] {uh, MeshCause.UH});
    cases.add(new Object[] {nr, MeshCause.NR});
    for (Object[] each : cases) {
      Row row = (Row) each[0];
      MeshCause expected = (MeshCause) each[1];
      awaitRepeatInterval(expected);
      String id = "headers-" + client + "-" + row.name() + "-" + IDS.incrementAndGet();
      assertThat(call(client, "/row/" + row.name(), id))
          .as("what the application got")
          .isEqualTo(row.status() + " " + row.body());
      String line = expectLine(client, row, expected, id, false);
      assertThat(line).endsWith("hint: " + expected.hint(FailureOrigin.LOCAL_SIDECAR));
    }
  }

  /** OkHttp 5 and 3 and Apache HttpClient 5.1: versions the advice was not compiled against. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"okhttp5", "okhttp3", "httpclient5-old"})
  void explainsThroughOtherLibraryVersions(String profile) throws Exception {
    boolean okhttp = profile.startsWith("okhttp");
    ChildJvm jvm =
        (okhttp
                ? serviceJvm().withLibraryProfile(profile, "okhttp-", "okio", "kotlin-stdlib")
                : serviceJvm().withLibraryProfile(profile, "httpclient5-", "httpcore5"))
            .property("meshaware.diagnostics.repeat-interval", "1s");
    try (MeshedService other = MeshedService.start("jdk", jvm)) {
      Row uh = EnvoyReplies.ROWS.get(0);
      other.downstream().stubFor(get(urlPathEqualTo("/row/uh")).willReturn(uh.response()));
      other
          .downstream()
          .stubFor(
              get(urlPathEqualTo("/reset"))
                  .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
      // Apache's clients never see the body: Envoy's reply is known by its length. OkHttp sees it
      // when it came with the headers (DiagnosticsFidelityIT), and else knows it the same way.
      String evidence =
          okhttp
              ? ""
              : "body not read: text/plain of the length of Envoy's \"no healthy upstream\"";
      for (String client : okhttp ? List.of("okhttp") : List.of("apache5", "apache5-async")) {
        String id = profile + "-" + client;
        assertThat(
                other.call(
                    "client=" + client + "&read=body&path=/row/uh",
                    Map.of("x-request-id", id + "-uh")))
            .isEqualTo("503 no healthy upstream");
        assertThat(other.awaitLineContaining("x-request-id=" + id + "-uh", Duration.ofSeconds(15)))
            .startsWith("[meshaware] WARNING mesh failure UH (")
            .contains(evidence);
        assertThat(resetDiagnosed(other, client, id + "-reset"))
            .startsWith("[meshaware] WARNING mesh failure mTLS-likely (");
        Thread.sleep(REPEAT_INTERVAL.toMillis() + 200);
      }
      assertThat(other.output()).doesNotContain("sun.misc.Unsafe", "WARNING: ", "Error");
    }
  }

  /**
   * Makes a call that the downstream resets, and returns its diagnostics line. Apache's 5.1 async
   * client once (in many runs, on a loaded machine) failed such a call without a line; a second
   * reset, 15 s later, is allowed to be the one diagnosed. Both missing fails.
   */
  private static String resetDiagnosed(MeshedService service, String client, String id)
      throws Exception {
    for (int attempt = 1; ; attempt++) {
      assertThat(
              service.call(
                  "client=" + client + "&read=body&path=/reset", Map.of("x-request-id", id)))
          .startsWith("error ");
      try {
        return service.awaitLineContaining("x-request-id=" + id, Duration.ofSeconds(15));
      } catch (AssertionError missing) {
        if (attempt == 2) {
          throw missing;
        }
      }
    }
  }

  @Test
  void printsTheStartupReportOnceAfterStartUp() throws Exception {
    service.awaitLineContaining("[meshaware] startup report", Duration.ofSeconds(40));
    Thread.sleep(200);
    List<String> report = new ArrayList<>();
    boolean inReport = false;
    for (String line : service.linesContaining("[meshaware]")) {
      if (line.equals("[meshaware] startup report")) {
        inReport = true;
      } else if (inReport && line.startsWith("[meshaware]   ")) {
        report.add(line.substring("[meshaware] ".length()));
      } else if (inReport) {
        break;
      }
    }
    assertThat(service.linesContaining("[meshaware] startup report")).hasSize(1);
    String text = String.join("\n", report);
    assertThat(text)
        .contains("  startup gate\n    verdict:")
        .contains("  instrumentation\n")
        .contains("  mesh failure diagnostics\n")
        .contains("on: one WARNING line per destination host and cause every 1s at most");
    assertThat(factOf(report, "active"))
        .contains("jdk-httpserver (inbound)")
        .contains("okhttp (outbound, failure diagnostics)")
        .contains("jdk-httpclient (outbound, failure diagnostics)")
        .contains("executors (thread hops)");
    assertThat(factOf(report, "advice failures")).endsWith("none");
    assertThat(service.call("mbean=StartupReport", Map.of())).startsWith("startup report\n");
  }

  private static String factOf(List<String> report, String name) {
    return report.stream()
        .filter(line -> line.startsWith("    " + name + ":"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no fact " + name + " in\n" + report));
  }

  @Test
  void aThousandIdenticalFailuresGiveOneLineAndARepeatCount() throws Exception {
    // Long enough for a thousand calls on a busy machine; the default is a minute.
    Duration interval = Duration.ofSeconds(30);
    try (MeshedService burst =
        MeshedService.start(
            "jdk",
            serviceJvm()
                .property("meshaware.diagnostics.repeat-interval", interval.toSeconds() + "s")
                .property("meshaware.report.delay", "0s"))) {
      Row uh = EnvoyReplies.ROWS.get(0);
      burst.downstream().stubFor(get(urlPathEqualTo("/row/uh")).willReturn(uh.response()));
      String result =
          burst.call(
              "client=okhttp&read=body&times=1000&path=/row/uh", Map.of("x-request-id", "burst"));
      assertThat(result).startsWith("{503 no healthy upstream=1000} in ");
      long took = Long.parseLong(result.replaceAll(".* in (\\d+) ms", "$1"));
      assertThat(took)
          .as("the burst must fit in one repeat interval")
          .isLessThan(interval.toMillis());
      long firstSeen = System.currentTimeMillis();
      Thread.sleep(500);
      assertThat(burst.linesContaining("mesh failure UH")).hasSize(1);
      assertThat(burst.call("mbean=Total", Map.of())).isEqualTo("1000");
      assertThat(burst.call("mbean=FailuresByCauseAndHost", Map.of()))
          .isEqualTo("UH 127.0.0.1=1000");

      Thread.sleep(Math.max(0, firstSeen + interval.toMillis() + 500 - System.currentTimeMillis()));
      burst.call("client=okhttp&read=body&path=/row/uh", Map.of("x-request-id", "after-burst"));
      String next = burst.awaitLineContaining("x-request-id=after-burst", Duration.ofSeconds(10));
      assertThat(next)
          .containsPattern("\\[999 more failures like this in the previous 3[0-9] s not logged]$");
      assertThat(burst.linesContaining("mesh failure UH")).hasSize(2);
      assertThat(burst.output()).doesNotContain("sun.misc.Unsafe", "WARNING: ");
    }
  }
}
