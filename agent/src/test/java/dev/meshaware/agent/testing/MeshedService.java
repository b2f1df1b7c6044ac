package dev.meshaware.agent.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.meshaware.agent.apps.GrpcWire;
import dev.meshaware.agent.apps.ServiceApp;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running {@link ServiceApp} with the agent, and a WireMock server as the downstream
 * service that records what arrived. Requests are sent from the test JVM, which has no agent.
 */
public final class MeshedService implements AutoCloseable {
  private final WireMockServer downstream;
  private final ChildJvm.Running child;
  private final int port;
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private ManagedChannel grpcChannel;

  private MeshedService(WireMockServer downstream, ChildJvm.Running child, int port) {
    this.downstream = downstream;
    this.child = child;
    this.port = port;
  }

  /** Starts the service with inbound server {@code inbound} (jdk, tomcat, jetty, grpc). */
  public static MeshedService start(String inbound, ChildJvm jvm) throws Exception {
    WireMockServer downstream =
        new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(40));
    downstream.start();
    downstream.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("down")));
    ChildJvm.Running child =
        jvm.withLibraries()
            .property("app.inbound", inbound)
            .property("app.downstream", "http://127.0.0.1:" + downstream.port())
            .start();
    try {
      int port = Integer.parseInt(child.awaitLine(ServiceApp.PORT, Duration.ofSeconds(60)));
      return new MeshedService(downstream, child, port);
    } catch (AssertionError | RuntimeException e) {
      child.kill();
      downstream.stop();
      throw e;
    }
  }

  /** The service's base URL, e.g. {@code http://127.0.0.1:41234}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** Sends {@code GET /call?<query>} with {@code headers}; returns the body. */
  public String call(String query, Map<String, String> headers) throws Exception {
    return get("/call", query, headers);
  }

  /** Sends {@code GET <path>?<query>} with {@code headers}; returns the body. */
  public String get(String path, String query, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path + "?" + query))
            .timeout(Duration.ofSeconds(30));
    headers.forEach(request::header);
    HttpResponse<String> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return response.body();
  }

  /**
   * Calls the grpc inbound's {@link GrpcWire#CALL} with {@code query} and {@code headers} as
   * metadata; a name ending in {@code -bin} is a binary key whose value is given in base64. Returns
   * the reply.
   */
  public String callGrpc(String query, Map<String, String> headers) {
    Metadata metadata = new Metadata();
    headers.forEach(
        (name, value) -> {
          if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
            metadata.put(
                Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER),
                Base64.getDecoder().decode(value));
          } else {
            metadata.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value);
          }
        });
    return ClientCalls.blockingUnaryCall(
        ClientInterceptors.intercept(
            grpcChannel(), MetadataUtils.newAttachHeadersInterceptor(metadata)),
        GrpcWire.CALL,
        CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
        query);
  }

  private synchronized ManagedChannel grpcChannel() {
    if (grpcChannel == null) {
      grpcChannel =
          Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create())
              .build();
    }
    return grpcChannel;
  }

  /** The requests the downstream received on {@code path}. */
  public List<LoggedRequest> received(String path) {
    return downstream.findAll(
        com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlPathEqualTo(path)));
  }

  /** Waits until the downstream received at least {@code count} requests on {@code path}. */
  public List<LoggedRequest> awaitReceived(String path, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<LoggedRequest> requests = received(path);
    while (requests.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(20);
      requests = received(path);
    }
    return requests;
  }

  public WireMockServer downstream() {
    return downstream;
  }

  /** Waits for a line of the child's output that contains {@code text}; returns it. */
  public String awaitLineContaining(String text, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<String> found = linesContaining(text);
      if (!found.isEmpty()) {
        return found.get(0);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("child never printed a line with '" + text + "':\n" + output());
      }
      Thread.sleep(20);
    }
  }

  /** The lines of the child's output so far that contain {@code text}. */
  public List<String> linesContaining(String text) {
    List<String> found = new java.util.ArrayList<>();
    for (String line : child.lines()) {
      if (line.contains(text)) {
        found.add(line);
      }
    }
    return found;
  }

  /** The child's output so far, for failure messages. */
  public String output() {
    return String.join("\n", child.lines());
  }

  @Override
  public void close() throws Exception {
    synchronized (this) {
      if (grpcChannel != null) {
        grpcChannel.shutdownNow();
      }
    }
    child.kill();
    downstream.stop();
  }
}
