package dev.meshaware.agent.library.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.agent.testing.ChildJvm;
import dev.meshaware.agent.testing.Recorder;
import dev.meshaware.agent.testing.Recorder.Carried;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * A raw Netty HTTP/2 server ({@link NettyH2App}: h2c with prior knowledge, a child channel per
 * stream) in a child JVM with the agent, called by an HTTP/2 client that keeps ONE connection: each
 * stream's request is current in its stream channel's handler and forwarded by a blocking client
 * called from an executor group; two streams in flight at once on that connection keep their own
 * and are counted once each until their responses end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NettyH2ServerIT {
  private static final AtomicInteger IDS = new AtomicInteger();
  private Recorder recorder;
  private ChildJvm.Running child;
  private ConnectionProvider oneConnection;
  private HttpClient h2;

  @BeforeAll
  void start() throws Exception {
    recorder = Recorder.start();
    child =
        ChildJvm.running(NettyH2App.class)
            .withLibraries()
            .property("meshaware.propagation.extra-headers", "end-user")
            .start();
    int port = Integer.parseInt(child.awaitLine(NettyH2App.PORT, Duration.ofSeconds(60)));
    oneConnection = ConnectionProvider.builder("h2-one").maxConnections(1).build();
    h2 =
        HttpClient.create(oneConnection)
            .protocol(HttpProtocol.H2C)
            .baseUrl("http://127.0.0.1:" + port)
            .responseTimeout(Duration.ofSeconds(30));
  }

  @AfterAll
  void stop() throws Exception {
    if (child != null) {
      child.kill();
    }
    if (oneConnection != null) {
      oneConnection.disposeLater().block(Duration.ofSeconds(10));
    }
    recorder.close();
  }

  private CompletableFuture<String> send(String pathAndQuery, String requestId) {
    HttpClient client =
        requestId == null
            ? h2
            : h2.headers(
                h -> h.set("x-request-id", requestId).set("end-user", "user-" + requestId));
    return client.get().uri(pathAndQuery).responseContent().aggregate().asString().toFuture();
  }

  private String call(String role, String id) {
    String url = "http://127.0.0.1:" + recorder.port() + "/rec/" + id + "-" + role;
    return "/call?role="
        + role
        + "&id="
        + id
        + "&url="
        + URLEncoder.encode(url, StandardCharsets.UTF_8);
  }

  @Test
  void twoStreamsInFlightOnOneConnectionEachCarryTheirOwnAndCountOnce() throws Exception {
    for (int round = 0; round < 3; round++) { // ids unique in the class: A waits for its own B
      String id = "h2-" + IDS.incrementAndGet();
      CompletableFuture<String> a = send(call("A", id), "a-" + id);
      Thread.sleep(200); // A waits in the executor group for B (and B for A, if it came first)
      CompletableFuture<String> b = send(call("B", id), "b-" + id);
      String[] gotA = a.get().split("\\|");
      String[] gotB = b.get().split("\\|");
      assertThat(gotA)
          .as("A: status, current on the loop, in flight\n" + String.join("\n", child.lines()))
          .startsWith("200", "a-" + id, "2");
      assertThat(gotB)
          .as("B: status, current on the loop, in flight")
          .startsWith("200", "b-" + id, "2");
      assertThat(gotA[3]).as("one connection").isEqualTo(gotB[3]);
      assertThat(recorder.calls(id + "-A")).containsExactly(new Carried("a-" + id, "user-a-" + id));
      assertThat(recorder.calls(id + "-B")).containsExactly(new Carried("b-" + id, "user-b-" + id));
    }
  }

  @Test
  void aStreamIsNoLongerInFlightOnceItsResponseEnded() throws Exception {
    twoStreamsInFlightOnOneConnectionEachCarryTheirOwnAndCountOnce();
    assertThat(send("/inflight", "r-count").get()).isEqualTo("-|-|1|-");
    assertThat(send("/inflight", null).get()).isEqualTo("-|-|1|-");
  }

  @Test
  void aStreamWithoutHeadersForwardsNone() throws Exception {
    String id = "h2-none";
    CompletableFuture<String> b = send(call("S", id), null);
    assertThat(b.get()).startsWith("200|none|");
    assertThat(recorder.calls(id + "-S")).containsExactly(Carried.NONE);
  }
}
