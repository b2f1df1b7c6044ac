package dev.meshaware.core.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.meshaware.core.diagnostics.FailureOrigin;
import dev.meshaware.core.diagnostics.MeshCause;
import java.util.List;
import java.util.Map;

/**
 * Every row of the mesh-facts failure table as an Envoy sidecar answers it (exact bodies and
 * headers), for WireMock to serve: the agent's and the starter's diagnostics tests run through the
 * same rows.
 */
public final class EnvoyReplies {
  private static final String RESET = "upstream connect error or disconnect/reset before headers. ";

  private EnvoyReplies() {}

  /** One row of the mesh-facts table as WireMock serves it. */
  public record Row(
      String name, int status, String body, MeshCause cause, Map<String, String> headers) {
    public static Row local(String name, int status, String body, MeshCause cause) {
      return new Row(name, status, body, cause, Map.of());
    }

    public static Row remote(String name, int status, String body, MeshCause cause) {
      return new Row(name, status, body, cause, Map.of("x-envoy-upstream-service-time", "2"));
    }

    public Row with(String header, String value) {
      Map<String, String> more = new java.util.HashMap<>(headers);
      more.put(header, value);
      return new Row(name, status, body, cause, more);
    }

    public FailureOrigin origin() {
      return headers.containsKey("x-envoy-upstream-service-time")
          ? FailureOrigin.REMOTE_SIDECAR_OR_GATEWAY
          : FailureOrigin.LOCAL_SIDECAR;
    }

    /** Envoy's local reply: server header, exact length, text/plain unless empty. */
    public ResponseDefinitionBuilder response() {
      ResponseDefinitionBuilder response =
          aResponse()
              .withStatus(status)
              .withHeader("server", "envoy")
              .withHeader("date", "Thu, 26 Nov 2026 10:00:00 GMT")
              .withHeader("content-length", Integer.toString(body.length()));
      if (!body.isEmpty()) {
        response.withHeader("content-type", "text/plain").withBody(body);
      }
      headers.forEach(response::withHeader);
      return response;
    }
  }

  public static final List<Row> ROWS =
      List.of(
          Row.local("uh", 503, "no healthy upstream", MeshCause.UH),
          Row.local("uf-old", 503, RESET + "reset reason: connection failure", MeshCause.UF),
          Row.local(
              "uf-local", 503, RESET + "reset reason: local connection failure", MeshCause.UF),
          Row.local(
              "uf-remote",
              503,
              RESET
                  + "reset reason: remote connection failure,"
                  + " transport failure reason: delayed connect error: 111",
              MeshCause.UF),
          Row.local("uf-timeout", 503, RESET + "reset reason: connection timeout", MeshCause.UF),
          Row.local("uc", 503, RESET + "reset reason: connection termination", MeshCause.UC),
          Row.local(
              "uc-retried",
              503,
              RESET + "retried and the latest reset reason: connection termination",
              MeshCause.UC),
          Row.local("ur", 503, RESET + "reset reason: remote reset", MeshCause.UR),
          Row.local("lr", 503, RESET + "reset reason: local reset", MeshCause.LR),
          Row.local("uo-overflow", 503, RESET + "reset reason: overflow", MeshCause.UO)
              .with("x-envoy-overloaded", "true"),
          Row.local("upe", 502, RESET + "reset reason: protocol error", MeshCause.UPE),
          Row.local("ut", 504, "upstream request timeout", MeshCause.UT),
          Row.local("nr", 404, "", MeshCause.NR),
          Row.local("nc", 503, "", MeshCause.NC),
          Row.local("uo-maintenance", 503, "maintenance mode", MeshCause.UO),
          Row.local("uo-header", 503, "", MeshCause.UO).with("x-envoy-overloaded", "true"),
          Row.remote("rbac", 403, "RBAC: access denied", MeshCause.RBAC),
          Row.local("rl", 429, "local_rate_limited", MeshCause.RL),
          Row.local("rl-header", 429, "", MeshCause.RL).with("x-envoy-ratelimited", "true"),
          Row.remote("uh-remote", 503, "no healthy upstream", MeshCause.UH),
          Row.remote(
              "uf-remote-sidecar", 503, RESET + "reset reason: connection failure", MeshCause.UF));
}
