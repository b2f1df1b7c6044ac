package dev.meshaware.core.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * A WireMock server on loopback standing in for the sidecar's status port. Shared by core's tests
 * and the agent's child-JVM tests (published as core's test jar).
 */
public final class FakeSidecar implements AutoCloseable {
  /** Where Istio's pilot-agent answers readiness. */
  public static final String READY_PATH = "/healthz/ready";

  /** Where pilot-agent takes the POST that tells the proxy to quit. */
  public static final String QUIT_PATH = "/quitquitquit";

  private final WireMockServer server;

  public FakeSidecar() {
    server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    server.start();
  }

  /** The underlying server, for stubs and checks this class does not name. */
  public WireMockServer server() {
    return server;
  }

  public int port() {
    return server.port();
  }

  /** The readiness URL to give {@code meshaware.startup.ready-url}. */
  public String readyUrl() {
    return url(READY_PATH);
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  /** The readiness endpoint answers {@code status} from now on. */
  public void answer(int status) {
    answer(aResponse().withStatus(status));
  }

  /** The readiness endpoint answers {@code response} from now on (delays, faults...). */
  public void answer(ResponseDefinitionBuilder response) {
    server.stubFor(get(READY_PATH).willReturn(response));
  }

  /** The quit URL to give {@code meshaware.shutdown.quit-url}. */
  public String quitUrl() {
    return url(QUIT_PATH);
  }

  /** The quit endpoint answers POSTs with {@code status} from now on. */
  public void answerQuit(int status) {
    server.stubFor(post(QUIT_PATH).willReturn(aResponse().withStatus(status)));
  }

  /** Fails unless the readiness endpoint was never probed. */
  public void verifyNeverProbed() {
    server.verify(0, getRequestedFor(urlEqualTo(READY_PATH)));
  }

  public void reset() {
    server.resetAll();
  }

  @Override
  public void close() {
    server.stop();
  }

  /** A loopback port nothing listens on: connections to it are refused. */
  public static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
