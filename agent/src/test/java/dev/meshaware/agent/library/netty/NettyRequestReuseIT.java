package dev.meshaware.agent.library.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.agent.testing.ChildJvm;
import dev.meshaware.agent.testing.Result;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two ways an application's Netty objects outlive one request ({@link NettyReuseApp}, one event
 * loop): a request object written again for later requests carries only each request's own headers
 * and is never changed; a {@code 101 Switching Protocols} ends its request (no longer counted in
 * flight) though the connection stays open. On Netty 4.2 and 4.1.
 */
class NettyRequestReuseIT {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  private static ChildJvm app(String netty, String mode) {
    ChildJvm jvm = ChildJvm.running(NettyReuseApp.class).withLibraries().argument(mode);
    return netty.equals("4.1")
        ? jvm.withLibraryProfile(
            "netty41", "netty-", "async-http-client", "reactive-streams", "reactor-")
        : jvm;
  }

  @ParameterizedTest(name = "Netty {0}")
  @ValueSource(strings = {"4.2", "4.1"})
  void aRequestObjectWrittenForSeveralRequestsCarriesEachOnesOwnAndStaysUnchanged(String netty)
      throws Exception {
    Result result = app(netty, "reuse").run(LIMIT);

    assertThat(result.lines())
        .as(result.toString())
        .contains(
            "DOWN /template x-request-id=[req-A]",
            "DOWN /template x-request-id=[req-B]",
            "DOWN /template x-request-id=null")
        .contains(
            "A -> template now carries []",
            "B -> template now carries []",
            "C(no header) -> template now carries []");
  }

  @ParameterizedTest(name = "Netty {0}")
  @ValueSource(strings = {"4.2", "4.1"})
  void switchingProtocolsEndsTheRequest(String netty) throws Exception {
    Result result = app(netty, "ws").run(LIMIT);

    assertThat(result.lines())
        .as(result.toString())
        // the write's listener was added while serving ws-1: it runs as ws-1, by the listener rule
        .contains("upgraded; in-flight now 0, current on loop ws-1")
        .contains("after 101 (connection still open as a websocket): in-flight=0 (expect 0)");
  }
}
