package dev.meshaware.agent.library.undertow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.agent.testing.ChildJvm;
import dev.meshaware.agent.testing.Result;
import dev.meshaware.core.testing.FakeSidecar;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SIGTERM while an Undertow request is in flight, with no delay and a drain timeout, after one
 * request answered each way: the drain counts the request in flight exactly once from its start to
 * the end of its exchange, wherever it is at that moment (its I/O handler, a worker, the
 * application's executor, or no thread at all while a scheduler holds its answer), and waits for
 * it.
 */
class UndertowDrainIT {
  private static final Duration CHILD_LIMIT = Duration.ofSeconds(60);
  private static final int SIGTERM_STATUS = 143;
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static FakeSidecar sidecar;

  @BeforeAll
  static void startSidecar() {
    sidecar = new FakeSidecar();
    sidecar.answer(200);
  }

  @AfterAll
  static void stopSidecar() {
    sidecar.close();
  }

  private static HttpResponse<String> get(int port, String pathAndQuery) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
            .timeout(Duration.ofSeconds(20))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest(name = "on {0}, header forwarding {1}")
  @CsvSource({"io, true", "handler, true", "later, false", "servlet, true"})
  void aRequestInFlightAtSigtermIsCountedOnceAndCompletes(String where, boolean propagation)
      throws Exception {
    ChildJvm jvm = ChildJvm.running(UndertowApp.class).withLibraries();
    if (where.equals("servlet")) {
      jvm.withLibraryProfile("undertow-servlet", "undertow-core-", "undertow-servlet-");
    }
    ChildJvm.Running child =
        jvm.inKubernetes()
            .property("meshaware.startup.ready-url", sidecar.readyUrl())
            .property("meshaware.propagation.enabled", String.valueOf(propagation))
            .property("meshaware.shutdown.delay", "0")
            .property("meshaware.shutdown.drain-timeout", "10s")
            .property("app.downstream", "http://127.0.0.1:1")
            .property("app.servlet", String.valueOf(where.equals("servlet")))
            .start();
    try {
      int port = Integer.parseInt(child.awaitLine(UndertowApp.PORT, CHILD_LIMIT));
      for (String done : UndertowPropagationIT.WHERE) {
        // answered before SIGTERM: each must have left the count
        assertThat(get(port, "/call?on=" + done).statusCode()).isEqualTo(200);
      }
      CompletableFuture<HttpResponse<String>> response =
          CLIENT.sendAsync(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:"
                              + port
                              + (where.equals("servlet") ? "/servlet/sleep" : "/call")
                              + "?tell=drain&on="
                              + where
                              + "&ms=1500"))
                  .timeout(Duration.ofSeconds(20))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      child.awaitLine(UndertowApp.ARRIVED + "drain", CHILD_LIMIT);
      Thread.sleep(200);
      child.terminate();
      HttpResponse<String> answered = response.get(20, TimeUnit.SECONDS);
      Result result = child.await(CHILD_LIMIT);

      assertThat(answered.statusCode()).as(result.toString()).isEqualTo(200);
      assertThat(answered.body()).isEqualTo("0");
      assertThat(result.meshawareLines())
          .as(result.toString())
          .anySatisfy(l -> assertThat(l).contains("waiting up to 10s for 1 request in flight"))
          .anySatisfy(l -> assertThat(l).contains("drained ", "no request in flight"));
      assertThat(result.exitCode()).isEqualTo(SIGTERM_STATUS);
    } finally {
      child.kill();
    }
  }
}
