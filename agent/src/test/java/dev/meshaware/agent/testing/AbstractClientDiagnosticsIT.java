package dev.meshaware.agent.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import dev.meshaware.core.diagnostics.FailureOrigin;
import dev.meshaware.core.diagnostics.MeshCause;
import dev.meshaware.core.testing.EnvoyReplies;
import dev.meshaware.core.testing.EnvoyReplies.Row;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Mesh failure diagnostics of one library's clients, in one child JVM with the agent ({@link
 * CallingService}): a WireMock downstream answers as the local Envoy does when no upstream is
 * healthy, or resets or closes the connection before any answer. Each failure must give exactly one
 * WARNING line and one count (not one per layer the call passes: a client built on Netty is also a
 * Netty channel), and the application must get the answer unchanged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractClientDiagnosticsIT {
  private static final Duration REPEAT_INTERVAL = Duration.ofSeconds(1);
  private MeshedService service;
  private long lastMtlsLine;

  /** The child: its main serves through {@link CallingService#serve}. */
  protected abstract ChildJvm child();

  /** The clients' names, as the child's {@link CallingService.Calls} knows them. */
  protected abstract List<String> clients();

  @BeforeAll
  void start() throws Exception {
    service =
        MeshedService.start("jdk", child().property("meshaware.diagnostics.repeat-interval", "1s"));
    Row uh = EnvoyReplies.ROWS.get(0);
    service.downstream().stubFor(get(urlPathEqualTo("/uh")).willReturn(uh.response()));
    service
        .downstream()
        .stubFor(
            get(urlPathEqualTo("/reset"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    service
        .downstream()
        .stubFor(
            get(urlPathEqualTo("/closed")).willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
  }

  @AfterAll
  void stop() throws Exception {
    if (service != null) {
      service.close();
    }
  }

  private String call(String client, String path, String id) throws Exception {
    return service.call("client=" + client + "&path=" + path, Map.of("x-request-id", id));
  }

  private long total() throws Exception {
    return Long.parseLong(service.call("mbean=Total", Map.of()));
  }

  /** The one line for {@code id}, after the failure was counted exactly once. */
  private String onlyLine(String id, long totalBefore) throws Exception {
    String line = service.awaitLineContaining("x-request-id=" + id + ";", Duration.ofSeconds(15));
    Thread.sleep(300); // a second layer's report would come within the same event-loop turn
    assertThat(service.linesContaining("x-request-id=" + id + ";")).as(id).hasSize(1);
    assertThat(total())
        .as("mesh failures counted for " + id + " in\n" + service.output())
        .isEqualTo(totalBefore + 1);
    return line;
  }

  @Test
  void theLocalSidecarsNoHealthyUpstreamGivesOneLineAndTheAppGetsItUnchanged() throws Exception {
    Row uh = EnvoyReplies.ROWS.get(0);
    for (String client : clients()) {
      Thread.sleep(REPEAT_INTERVAL.toMillis() + 150); // one UH line per host per interval
      String id = "uh-" + client;
      long before = total();
      assertThat(call(client, "/uh", id)).as(client).isEqualTo("503 no healthy upstream");
      assertThat(onlyLine(id, before))
          .as(client)
          .startsWith("[meshaware] WARNING mesh failure UH (")
          .contains("from " + uh.origin().description() + ":")
          .contains("GET http://127.0.0.1:" + service.downstream().port() + "/uh -> 503");
    }
  }

  @Test
  void aResetBeforeAnyAnswerGivesOneMtlsLikelyLine() throws Exception {
    expectNoAnswer("/reset");
  }

  @Test
  void aCloseBeforeAnyAnswerGivesOneMtlsLikelyLine() throws Exception {
    expectNoAnswer("/closed");
  }

  private void expectNoAnswer(String path) throws Exception {
    for (String client : clients()) {
      long wait = lastMtlsLine + REPEAT_INTERVAL.toMillis() + 150 - System.currentTimeMillis();
      Thread.sleep(Math.max(0, wait));
      String id = "no-answer-" + client + path.replace('/', '-');
      long before = total();
      String got = call(client, path, id);
      lastMtlsLine = System.currentTimeMillis();
      assertThat(got).as(client).startsWith("error ");
      String line = onlyLine(id, before);
      assertThat(line)
          .as(client)
          .startsWith("[meshaware] WARNING mesh failure mTLS-likely (")
          .contains("GET http://127.0.0.1:" + service.downstream().port() + path)
          .contains("-> no HTTP answer (")
          .endsWith("hint: " + MeshCause.MTLS_LIKELY.hint(FailureOrigin.REMOTE_SIDECAR_OR_GATEWAY));
    }
  }
}
