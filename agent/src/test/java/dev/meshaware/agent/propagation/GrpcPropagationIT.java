package dev.meshaware.agent.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.meshaware.agent.apps.ServiceApp;
import dev.meshaware.agent.testing.ChildJvm;
import dev.meshaware.agent.testing.GrpcRecorder;
import dev.meshaware.agent.testing.MeshedService;
import io.grpc.Metadata;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * gRPC in a real child JVM with the agent: a grpc-java server as the inbound side, a grpc-java
 * channel as the outbound side, next to the HTTP ones. HTTP calls land on WireMock, gRPC calls on a
 * {@link GrpcRecorder} in this JVM; both record exactly what arrived.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrpcPropagationIT {
  /**
   * An OpenCensus binary span context, as {@code grpc-trace-bin} carries it: version 0, field 0
   * trace id, field 1 span id, field 2 options (sampled). 29 bytes, so its base64 has padding.
   */
  private static final byte[] TRACE_BIN =
      HexFormat.of()
          .parseHex("00" + "000af7651916cd43dd8448eb211c80319c" + "01b7ad6b7169203331" + "0201");

  /** Padded base64, as an HTTP client may send it. */
  private static final String TRACE_BIN_PADDED = Base64.getEncoder().encodeToString(TRACE_BIN);

  /** Unpadded base64, as grpc-java sends binary metadata. */
  private static final String TRACE_BIN_UNPADDED =
      Base64.getEncoder().withoutPadding().encodeToString(TRACE_BIN);

  private static final AtomicInteger IDS = new AtomicInteger();
  private GrpcRecorder recorder;
  private MeshedService grpcService;
  private MeshedService jdkService;

  @BeforeAll
  void start() throws Exception {
    recorder = GrpcRecorder.start();
    grpcService = MeshedService.start("grpc", child());
    jdkService = MeshedService.start("jdk", child());
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable each : new AutoCloseable[] {grpcService, jdkService, recorder}) {
      if (each != null) {
        each.close();
      }
    }
  }

  private ChildJvm child() {
    return ChildJvm.running(ServiceApp.class).property("app.grpcDownstream", recorder.target());
  }

  private static Map<String, String> traceHeaders(String id) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-request-id", "7b2e4c1a-9d3f-4e8a-9b0c-" + id);
    headers.put("x-b3-traceid", "80f198ee56343ba864fe8b2a57d3eff7");
    headers.put("x-b3-spanid", "e457b5a2e4d86bd1");
    headers.put("x-b3-parentspanid", "05e3ac9a4f6e3b90");
    headers.put("x-b3-sampled", "1");
    headers.put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    headers.put("tracestate", "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
    headers.put("grpc-trace-bin", TRACE_BIN_PADDED);
    return headers;
  }

  private static String nextId(String label) {
    return label + "-" + IDS.incrementAndGet();
  }

  /** The text headers of {@code sent}, checked on one recorded gRPC call; one value each. */
  private static void assertGrpcCarries(Metadata received, Map<String, String> sent, String what) {
    sent.forEach(
        (name, value) -> {
          if (name.equals("grpc-trace-bin")) {
            assertThat(GrpcRecorder.binary(received, name))
                .as(what + " " + name)
                .containsExactly(TRACE_BIN);
          } else {
            assertThat(GrpcRecorder.ascii(received, name))
                .as(what + " " + name)
                .containsExactly(value);
          }
        });
  }

  private static void assertHttpCarries(
      LoggedRequest received, Map<String, String> sent, String binText, String what) {
    sent.forEach(
        (name, value) ->
            assertThat(received.getHeaders().getHeader(name).values())
                .as(what + " " + name)
                .containsExactly(name.equals("grpc-trace-bin") ? binText : value));
  }

  private static void assertGrpcCarriesNoTraceHeader(Metadata received, String what) {
    for (String name : traceHeaders("x").keySet()) {
      assertThat(received.keys()).as(what + " " + name).doesNotContain(name);
    }
  }

  @Test
  void grpcInboundForwardsTheExactValuesToHttpAndGrpcCalls() throws Exception {
    for (String client : List.of("urlconnection", "okhttp", "grpc")) {
      String id = nextId("grpc-in-" + client);
      Map<String, String> sent = traceHeaders(id);
      String reply = grpcService.callGrpc("client=" + client + "&path=/" + id, sent);
      assertThat(reply).as(client + "\n" + grpcService.output()).isEqualTo("200");
      if (client.equals("grpc")) {
        List<Metadata> received = recorder.received("/" + id);
        assertThat(received).as(client).hasSize(1);
        assertGrpcCarries(received.get(0), sent, client);
      } else {
        List<LoggedRequest> received = grpcService.received("/" + id);
        assertThat(received).as(client).hasSize(1);
        // Binary metadata arrives as bytes; forwarded over HTTP as grpc-java's own text form.
        assertHttpCarries(received.get(0), sent, TRACE_BIN_UNPADDED, client);
      }
    }
  }

  @Test
  void httpInboundForwardsTheExactValuesToGrpcCalls() throws Exception {
    String id = nextId("jdk-in-grpc");
    Map<String, String> sent = traceHeaders(id);
    assertThat(jdkService.call("client=grpc&path=/" + id, sent))
        .as(jdkService.output())
        .isEqualTo("200");
    List<Metadata> received = recorder.received("/" + id);
    assertThat(received).hasSize(1);
    // The padded base64 text decodes to the very bytes the HTTP caller encoded.
    assertGrpcCarries(received.get(0), sent, "jdk -> grpc");

    String httpId = nextId("jdk-in-http");
    Map<String, String> httpSent = traceHeaders(httpId);
    assertThat(jdkService.call("client=urlconnection&path=/" + httpId, httpSent)).isEqualTo("200");
    assertHttpCarries(
        jdkService.received("/" + httpId).get(0), httpSent, TRACE_BIN_PADDED, "jdk -> http");
  }

  @Test
  void unaryResponseCallbacksRunWithTheirRequestsHeaders() throws Exception {
    for (MeshedService service : List.of(grpcService, jdkService)) {
      String id = nextId("async");
      Map<String, String> sent = traceHeaders(id);
      String query = "client=grpc-async&path=/" + id;
      String reply =
          service == grpcService ? service.callGrpc(query, sent) : service.call(query, sent);
      assertThat(reply).as(service.output()).isEqualTo("200");
      assertGrpcCarries(recorder.received("/" + id).get(0), sent, "async call");
      // The follow-up HTTP call made from the gRPC response callback, on gRPC's executor.
      List<LoggedRequest> then = service.received("/" + id + "/then");
      assertThat(then).hasSize(1);
      assertThat(then.get(0).getHeader("x-request-id")).isEqualTo(sent.get("x-request-id"));
      assertThat(then.get(0).getHeader("traceparent")).isEqualTo(sent.get("traceparent"));
    }
  }

  @Test
  void metadataTheApplicationSetWins() throws Exception {
    for (MeshedService service : List.of(grpcService, jdkService)) {
      String id = nextId("appset");
      Map<String, String> sent = traceHeaders(id);
      String query = "client=grpc&appset=app-own-span&path=/" + id;
      String reply =
          service == grpcService ? service.callGrpc(query, sent) : service.call(query, sent);
      assertThat(reply).as(service.output()).isEqualTo("200");
      Metadata received = recorder.received("/" + id).get(0);
      assertThat(GrpcRecorder.ascii(received, "x-b3-spanid")).containsExactly("app-own-span");
      assertThat(GrpcRecorder.ascii(received, "x-request-id"))
          .containsExactly(sent.get("x-request-id"));
      assertThat(GrpcRecorder.ascii(received, "x-b3-traceid"))
          .containsExactly(sent.get("x-b3-traceid"));
    }
  }

  @Test
  void metadataTheApplicationPassesIsLeftUnchanged() throws Exception {
    // The application passes one Metadata object to every call: had the first call's headers
    // been added to it, the second would look "set by the application" and keep the first's.
    for (int i = 0; i < 2; i++) {
      String id = nextId("shared-metadata");
      Map<String, String> sent = traceHeaders(id);
      assertThat(grpcService.callGrpc("client=grpc-shared-metadata&path=/" + id, sent))
          .as(grpcService.output())
          .isEqualTo("200");
      assertGrpcCarries(recorder.received("/" + id).get(0), sent, "call " + i);
    }
  }

  @Test
  void binaryHeaderThatIsNotCanonicalBase64StaysOffGrpcCalls() throws Exception {
    String id = nextId("bad-bin");
    Map<String, String> sent = traceHeaders(id);
    // Decodable, but the last character carries bits base64 drops: re-encoded it would differ.
    sent.put("grpc-trace-bin", "AAF");
    assertThat(jdkService.call("client=grpc&path=/" + id, sent)).isEqualTo("200");
    Metadata received = recorder.received("/" + id).get(0);
    assertThat(received.keys()).doesNotContain("grpc-trace-bin");
    assertThat(GrpcRecorder.ascii(received, "x-request-id"))
        .containsExactly(sent.get("x-request-id"));
  }

  @Test
  void concurrentCallsEachCarryOnlyTheirOwnHeaders() throws Exception {
    int calls = 48;
    ExecutorService callers = Executors.newFixedThreadPool(12);
    try {
      List<Future<String>> replies = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        String id = nextId("concurrent");
        ids.add(id);
        // Every third call has no trace headers: it must not pick up its thread's last call's.
        Map<String, String> sent = i % 3 == 2 ? Map.of() : traceHeaders(id);
        String client = i % 2 == 0 ? "grpc" : "urlconnection";
        String hop = i % 4 < 2 ? "direct" : "executor";
        String query = "client=" + client + "&hop=" + hop + "&path=/" + id;
        replies.add(callers.submit(() -> grpcService.callGrpc(query, sent)));
      }
      for (Future<String> reply : replies) {
        assertThat(reply.get(60, TimeUnit.SECONDS)).as(grpcService.output()).isEqualTo("200");
      }
      for (int i = 0; i < calls; i++) {
        String id = ids.get(i);
        String expected = i % 3 == 2 ? null : traceHeaders(id).get("x-request-id");
        if (i % 2 == 0) {
          Metadata received = recorder.received("/" + id).get(0);
          if (expected == null) {
            assertGrpcCarriesNoTraceHeader(received, id);
          } else {
            assertThat(GrpcRecorder.ascii(received, "x-request-id"))
                .as(id)
                .containsExactly(expected);
          }
        } else {
          LoggedRequest received = grpcService.received("/" + id).get(0);
          assertThat(received.getHeader("x-request-id")).as(id).isEqualTo(expected);
        }
      }
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void callsOutsideAnyRequestCarryNothing() throws Exception {
    // Serve a request with headers first, so the pools have seen them.
    String before = nextId("before-outside");
    assertThat(grpcService.callGrpc("client=grpc&path=/" + before, traceHeaders(before)))
        .isEqualTo("200");
    String id = nextId("outside");
    // The application's main thread makes this call, handed over by a request.
    assertThat(grpcService.callGrpc("client=grpc&hop=outside&path=/" + id, traceHeaders(id)))
        .isEqualTo("scheduled");
    List<Metadata> received = recorder.awaitReceived("/" + id, 1);
    assertThat(received).as(grpcService.output()).hasSize(1);
    assertGrpcCarriesNoTraceHeader(received.get(0), "outside");

    // Work the main thread hands to the gRPC call executor itself, after every one of its
    // threads has run callbacks of requests with headers.
    for (int i = 0; i < 8; i++) {
      String warm = nextId("warm");
      assertThat(grpcService.callGrpc("client=grpc&path=/" + warm, traceHeaders(warm)))
          .isEqualTo("200");
    }
    for (int i = 0; i < 8; i++) {
      String onExecutor = nextId("outside-on-executor");
      assertThat(
              grpcService.callGrpc(
                  "client=grpc&hop=outside-grpc-executor&path=/" + onExecutor,
                  traceHeaders(onExecutor)))
          .isEqualTo("scheduled");
      List<Metadata> calls = recorder.awaitReceived("/" + onExecutor, 1);
      assertThat(calls).as(grpcService.output()).hasSize(1);
      assertGrpcCarriesNoTraceHeader(calls.get(0), "call executor thread, outside");
    }

    String bare = nextId("no-headers");
    assertThat(grpcService.callGrpc("client=grpc&path=/" + bare, Map.of())).isEqualTo("200");
    assertGrpcCarriesNoTraceHeader(recorder.received("/" + bare).get(0), "request without headers");
  }

  @Test
  void forwardsNothingWithoutTheAgentSoTheseTestsCanFail() throws Exception {
    try (MeshedService bare = MeshedService.start("grpc", child().withoutAgent())) {
      String id = nextId("bare");
      assertThat(bare.callGrpc("client=grpc&path=/" + id, traceHeaders(id))).isEqualTo("200");
      assertGrpcCarriesNoTraceHeader(recorder.received("/" + id).get(0), "without agent");
      String httpId = nextId("bare-http");
      assertThat(bare.callGrpc("client=urlconnection&path=/" + httpId, traceHeaders(httpId)))
          .isEqualTo("200");
      assertThat(bare.received("/" + httpId).get(0).getHeader("x-request-id")).isNull();
    }
  }
}
