package dev.meshaware.core.propagation;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Which header names meshaware forwards by default, and which it never forwards. */
public final class HeaderNames {
  private HeaderNames() {}

  /**
   * Istio's list: request id, B3 (multi and single), W3C, Lightstep, OpenCensus/Stackdriver, gRPC
   * binary, Datadog and SkyWalking.
   */
  public static final List<String> DEFAULTS =
      Collections.unmodifiableList(
          Arrays.asList(
              "x-request-id",
              "x-b3-traceid",
              "x-b3-spanid",
              "x-b3-parentspanid",
              "x-b3-sampled",
              "x-b3-flags",
              "b3",
              "traceparent",
              "tracestate",
              "x-ot-span-context",
              "x-cloud-trace-context",
              "grpc-trace-bin",
              "x-datadog-trace-id",
              "x-datadog-parent-id",
              "x-datadog-sampling-priority",
              "sw8"));

  /**
   * Hop-by-hop and per-connection headers: they describe one connection, not the request, and a
   * client library rejects or rewrites them.
   */
  private static final Set<String> NEVER =
      new HashSet<>(
          Arrays.asList(
              "connection",
              "keep-alive",
              "proxy-authenticate",
              "proxy-authorization",
              "proxy-connection",
              "te",
              "trailer",
              "transfer-encoding",
              "upgrade",
              "host",
              "content-length",
              // Envoy adds it for the next hop itself; forwarding it would forge a client identity.
              "x-forwarded-client-cert"));

  /**
   * Why {@code name} (lower case) may never be forwarded, or null when it may. {@code x-envoy-*}
   * headers are Envoy's own instructions to itself (retries, timeouts): forwarding them would let
   * one hop's settings leak into the next.
   */
  public static String neverForwardedBecause(String name) {
    if (NEVER.contains(name)) {
      return name.equals("x-forwarded-client-cert")
          ? "the sidecar sets it for each hop"
          : "it is a hop-by-hop header";
    }
    if (name.startsWith("x-envoy-") || name.startsWith(":")) {
      return "it belongs to the sidecar";
    }
    return null;
  }

  /** True when {@code name} is an HTTP token (RFC 9110 section 5.6.2). */
  public static boolean isToken(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  static String lower(String name) {
    return name.trim().toLowerCase(Locale.ROOT);
  }
}
