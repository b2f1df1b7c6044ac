package dev.meshaware.core.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every row of the mesh-facts table, with Envoy's exact bodies typed out here (not taken from the
 * classifier's constants), and the answers that must never be blamed on the mesh.
 */
class MeshFailureClassifierTest {
  static final String RESET = "upstream connect error or disconnect/reset before headers. ";

  /** A reply as the local sidecar sends it: Envoy's server header, no upstream time. */
  static OutboundExchange local(int status, String body) {
    OutboundExchange exchange = new OutboundExchange("test", status, null);
    exchange.header("server", "envoy");
    exchange.header("content-length", Integer.toString(body.length()));
    if (!body.isEmpty()) {
      exchange.header("content-type", "text/plain");
    }
    return exchange.body(body);
  }

  /** A reply as the destination's sidecar or a gateway sends it: upstream time present. */
  static OutboundExchange remote(int status, String body) {
    return local(status, body).header("x-envoy-upstream-service-time", "3");
  }

  static Stream<Arguments> envoyReplies() {
    return Stream.of(
        Arguments.of(503, "no healthy upstream", MeshCause.UH),
        Arguments.of(503, RESET + "reset reason: connection failure", MeshCause.UF),
        Arguments.of(503, RESET + "reset reason: local connection failure", MeshCause.UF),
        Arguments.of(
            503,
            RESET
                + "reset reason: remote connection failure,"
                + " transport failure reason: delayed connect error: 111",
            MeshCause.UF),
        Arguments.of(503, RESET + "reset reason: connection timeout", MeshCause.UF),
        Arguments.of(503, RESET + "reset reason: connection termination", MeshCause.UC),
        Arguments.of(
            503,
            RESET + "retried and the latest reset reason: connection termination",
            MeshCause.UC),
        Arguments.of(503, RESET + "reset reason: remote reset", MeshCause.UR),
        Arguments.of(503, RESET + "reset reason: local reset", MeshCause.LR),
        Arguments.of(503, RESET + "reset reason: overflow", MeshCause.UO),
        Arguments.of(502, RESET + "reset reason: protocol error", MeshCause.UPE),
        Arguments.of(504, "upstream request timeout", MeshCause.UT),
        Arguments.of(404, "", MeshCause.NR),
        Arguments.of(503, "", MeshCause.NC),
        Arguments.of(503, "maintenance mode", MeshCause.UO),
        Arguments.of(403, "RBAC: access denied", MeshCause.RBAC),
        Arguments.of(429, "local_rate_limited", MeshCause.RL));
  }

  @ParameterizedTest(name = "{0} \"{1}\" -> {2}")
  @MethodSource("envoyReplies")
  void namesTheCauseOfEveryReplyTheLocalSidecarMakes(int status, String body, MeshCause cause) {
    Diagnosis diagnosis = MeshFailureClassifier.classify(local(status, body));
    assertThat(diagnosis.cause()).isEqualTo(cause);
    assertThat(diagnosis.origin()).isEqualTo(FailureOrigin.LOCAL_SIDECAR);
    assertThat(diagnosis.hint()).isNotBlank().isEqualTo(cause.hint(FailureOrigin.LOCAL_SIDECAR));
  }

  @ParameterizedTest(name = "{0} \"{1}\" -> {2}")
  @MethodSource("envoyReplies")
  void attributesEnvoyBodiesWithUpstreamTimeToTheRemoteSidecar(
      int status, String body, MeshCause cause) {
    Diagnosis diagnosis = MeshFailureClassifier.classify(remote(status, body));
    if (body.isEmpty()) {
      // An empty 404/503 that passed through an upstream is the destination's own answer.
      assertThat(diagnosis).isSameAs(Diagnosis.NOT_FROM_MESH);
    } else {
      assertThat(diagnosis.cause()).isEqualTo(cause);
      assertThat(diagnosis.origin()).isEqualTo(FailureOrigin.REMOTE_SIDECAR_OR_GATEWAY);
    }
  }

  @Test
  void recognisesOverloadAndRateLimitHeadersWithoutABody() {
    OutboundExchange overloaded =
        new OutboundExchange("test", 503, null).header("x-envoy-overloaded", "true");
    assertThat(MeshFailureClassifier.classify(overloaded).cause()).isEqualTo(MeshCause.UO);
    OutboundExchange limited =
        new OutboundExchange("test", 429, null).header("X-Envoy-RateLimited", "true");
    assertThat(MeshFailureClassifier.classify(limited).cause()).isEqualTo(MeshCause.RL);
  }

  @Test
  void quotesEnvoysBodyAsEvidence() {
    Diagnosis diagnosis =
        MeshFailureClassifier.classify(local(503, RESET + "reset reason: connection termination"));
    assertThat(diagnosis.evidence())
        .isEqualTo("Envoy's body \"" + RESET + "reset reason: connection termination\"");
  }

  @Test
  void pointsAtTheDestinationRuleTlsWhenTheTransportFailureIsTls() {
    Diagnosis diagnosis =
        MeshFailureClassifier.classify(
            local(
                503,
                RESET
                    + "reset reason: connection failure, transport failure reason: TLS error:"
                    + " 268435703:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER"));
    assertThat(diagnosis.cause()).isEqualTo(MeshCause.UF);
    assertThat(diagnosis.hint()).contains("trafficPolicy.tls", "PeerAuthentication");
  }

  @Test
  void remoteConnectionFailurePointsAtTheDestinationsListenAddress() {
    Diagnosis diagnosis =
        MeshFailureClassifier.classify(remote(503, RESET + "reset reason: connection failure"));
    assertThat(diagnosis.hint()).contains("127.0.0.1", "0.0.0.0");
  }

  @Test
  void neverBlamesTheApplicationsOwn503Or404() {
    for (int status : new int[] {503, 404, 502, 504, 403, 429}) {
      OutboundExchange json =
          new OutboundExchange("test", status, null)
              .header("x-envoy-upstream-service-time", "12")
              .header("server", "envoy")
              .header("content-type", "application/json")
              .header("content-length", "27")
              .body("{\"error\":\"backend is down\"}");
      assertThat(MeshFailureClassifier.classify(json))
          .as("%s json", status)
          .isSameAs(Diagnosis.NOT_FROM_MESH);
      OutboundExchange unread =
          new OutboundExchange("test", status, null)
              .header("x-envoy-upstream-service-time", "12")
              .header("server", "istio-envoy")
              .header("content-length", "27");
      assertThat(MeshFailureClassifier.classify(unread))
          .as("%s unread", status)
          .isSameAs(Diagnosis.NOT_FROM_MESH);
    }
  }

  @Test
  void needsEnvoysServerHeaderBeforeTrustingAnEmptyOrUnreadBody() {
    OutboundExchange direct404 =
        new OutboundExchange("test", 404, null).header("content-length", "0");
    assertThat(MeshFailureClassifier.classify(direct404)).isSameAs(Diagnosis.NOT_FROM_MESH);
    OutboundExchange direct503 =
        new OutboundExchange("test", 503, null)
            .header("server", "nginx")
            .header("content-length", "19");
    assertThat(MeshFailureClassifier.classify(direct503)).isSameAs(Diagnosis.NOT_FROM_MESH);
  }

  @Test
  void anUnreadBodyFromTheLocalSidecarIsASidecarReplyOrATimeout() {
    OutboundExchange unread503 =
        new OutboundExchange("test", 503, null)
            .header("server", "envoy")
            .header("content-length", "19");
    assertThat(MeshFailureClassifier.classify(unread503).cause())
        .isEqualTo(MeshCause.SIDECAR_REPLY);
    OutboundExchange unread504 =
        new OutboundExchange("test", 504, null)
            .header("server", "envoy")
            .header("content-length", "24");
    assertThat(MeshFailureClassifier.classify(unread504).cause()).isEqualTo(MeshCause.UT);
  }

  /** The local sidecar's reply with the body left unread: headers exactly as Envoy sends them. */
  private static OutboundExchange unread(int status, String body) {
    return new OutboundExchange("test", status, null)
        .header("server", "envoy")
        .header("content-type", "text/plain")
        .header("content-length", Integer.toString(body.length()));
  }

  @ParameterizedTest(name = "{0} \"{1}\" -> {2}")
  @MethodSource("fixedLengthReplies")
  void anUnreadReplyOfTheLocalSidecarIsKnownByItsLengthAndSaysSo(
      int status, String body, MeshCause cause) {
    Diagnosis diagnosis = MeshFailureClassifier.classify(unread(status, body));
    assertThat(diagnosis.cause()).isEqualTo(cause);
    assertThat(diagnosis.origin()).isEqualTo(FailureOrigin.LOCAL_SIDECAR);
    assertThat(diagnosis.evidence())
        .isEqualTo(
            status
                + " from the sidecar, body not read: text/plain of the length of Envoy's \""
                + body
                + "\"");
  }

  static Stream<Arguments> fixedLengthReplies() {
    return Stream.of(
        Arguments.of(503, "no healthy upstream", MeshCause.UH),
        Arguments.of(503, "maintenance mode", MeshCause.UO),
        Arguments.of(504, "upstream request timeout", MeshCause.UT),
        Arguments.of(403, "RBAC: access denied", MeshCause.RBAC),
        Arguments.of(429, "local_rate_limited", MeshCause.RL));
  }

  @Test
  void theLengthAloneIsNeverTrustedForAnAnswerThatMayBeTheApplications() {
    // Through the destination's sidecar (upstream time): the application may have written it.
    assertThat(
            MeshFailureClassifier.classify(
                unread(503, "no healthy upstream").header("x-envoy-upstream-service-time", "3")))
        .isSameAs(Diagnosis.NOT_FROM_MESH);
    assertThat(
            MeshFailureClassifier.classify(
                unread(403, "RBAC: access denied").header("x-envoy-upstream-service-time", "3")))
        .isSameAs(Diagnosis.NOT_FROM_MESH);
    // Not Envoy's server header, or not plain text: no guess from the length.
    assertThat(
            MeshFailureClassifier.classify(
                new OutboundExchange("test", 403, null)
                    .header("server", "nginx")
                    .header("content-type", "text/plain")
                    .header("content-length", "19")))
        .isSameAs(Diagnosis.NOT_FROM_MESH);
    assertThat(
            MeshFailureClassifier.classify(
                    new OutboundExchange("test", 503, null)
                        .header("server", "envoy")
                        .header("content-type", "application/octet-stream")
                        .header("content-length", "19"))
                .cause())
        .isEqualTo(MeshCause.SIDECAR_REPLY);
    // Another length: the sidecar answered, which reply is unknown.
    assertThat(MeshFailureClassifier.classify(unread(503, "something else entirely")).cause())
        .isEqualTo(MeshCause.SIDECAR_REPLY);
    assertThat(MeshFailureClassifier.classify(unread(429, "slow down please")))
        .isSameAs(Diagnosis.NOT_FROM_MESH);
  }

  @Test
  void anEmptyBodyIsKnownFromTheContentLengthAlone() {
    OutboundExchange noRoute =
        new OutboundExchange("test", 404, null)
            .header("server", "envoy")
            .header("content-length", "0");
    assertThat(MeshFailureClassifier.classify(noRoute).cause()).isEqualTo(MeshCause.NR);
  }

  @Test
  void leavesStatusesNoSidecarSendsAlone() {
    for (int status : new int[] {200, 201, 204, 301, 400, 401, 500}) {
      assertThat(MeshFailureClassifier.mayComeFromSidecar(status)).as("%s", status).isFalse();
      assertThat(MeshFailureClassifier.classify(local(status, "no healthy upstream")))
          .isSameAs(Diagnosis.NOT_FROM_MESH);
    }
  }

  @Test
  void anUnknownResetReasonIsStillASidecarReply() {
    Diagnosis diagnosis =
        MeshFailureClassifier.classify(local(503, RESET + "reset reason: overload manager"));
    assertThat(diagnosis.cause()).isEqualTo(MeshCause.SIDECAR_REPLY);
  }

  static Stream<Arguments> noAnswer() {
    return Stream.of(
        Arguments.of(new SocketException("Connection reset")),
        Arguments.of(new SocketException("Connection reset by peer")),
        Arguments.of(
            new IOException(
                "unexpected end of stream on http://10.0.0.1:8080/...",
                new EOFException("\\n not found: limit=0 content=…"))),
        Arguments.of(new SocketException("Unexpected end of file from server")),
        Arguments.of(
            new CompletionException(new IOException("HTTP/1.1 header parser received no bytes"))),
        Arguments.of(new EOFException("EOF reached while reading")),
        Arguments.of(new NoHttpResponseException("10.0.0.1:8080 failed to respond")),
        Arguments.of(new IOException("Connection prematurely closed BEFORE response")),
        // Jetty's HttpClient: the connection's own description is the message.
        Arguments.of(
            new EOFException(
                "HttpConnectionOverHTTP@1504a61c::SocketChannelEndPoint@35a8275d[{l=/10.0.0.2:56522,"
                    + "r=/10.0.0.1:8080,ISHUT,fill=-,flush=-,to=14/30000}]")),
        // Vert.x's HttpClient: its HttpClosedException (a VertxException) on an HTTP/1 close.
        Arguments.of(new RuntimeException("Connection was closed")));
  }

  @ParameterizedTest
  @MethodSource("noAnswer")
  void aConnectionClosedWithoutAnAnswerIsLikelyMtls(Throwable failure) {
    Diagnosis diagnosis =
        MeshFailureClassifier.classify(
            new OutboundExchange("test", OutboundExchange.NO_STATUS, failure));
    assertThat(diagnosis.cause()).isEqualTo(MeshCause.MTLS_LIKELY);
    assertThat(diagnosis.hint())
        .startsWith("likely")
        .contains("PeerAuthentication", "DestinationRule");
  }

  @Test
  void timeoutsRefusalsAndOtherFailuresAreNotThisPattern() {
    for (Throwable failure :
        new Throwable[] {
          new SocketTimeoutException("Read timed out"),
          new IOException("wrapped", new SocketTimeoutException("Connection reset")),
          new ConnectException("Connection refused"),
          new IOException("closed"),
          new IllegalStateException("boom")
        }) {
      assertThat(
              MeshFailureClassifier.classify(
                  new OutboundExchange("test", OutboundExchange.NO_STATUS, failure)))
          .as(failure.toString())
          .isSameAs(Diagnosis.NOT_FROM_MESH);
    }
  }

  /** Apache HttpClient's exception, by its simple name. */
  static final class NoHttpResponseException extends IOException {
    NoHttpResponseException(String message) {
      super(message);
    }
  }
}
