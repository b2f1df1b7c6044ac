package dev.meshaware.core.diagnostics;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What a client saw of one outbound call that may have failed in the mesh: the request's method,
 * URL and {@code x-request-id}, then either the response's status, the few headers the classifier
 * reads and (where the client already buffered it) the start of the body, or the exception that
 * ended the call. Filled in by agent advice or a starter interceptor, then handed to {@link
 * MeshDiagnostics#record}. Only made for a status that may come from a sidecar (see {@link
 * MeshDiagnostics#response}), so a successful call never allocates one.
 */
public final class OutboundExchange {
  /**
   * The response headers the classifier reads, in lower case. A caller passes each to {@link
   * #header} with the response's first value (null when absent).
   */
  public static final List<String> RESPONSE_HEADERS =
      Collections.unmodifiableList(
          Arrays.asList(
              EnvoyReplies.UPSTREAM_SERVICE_TIME,
              EnvoyReplies.OVERLOADED,
              EnvoyReplies.RATE_LIMITED,
              "server",
              "content-type",
              "content-length"));

  /**
   * The most body a caller should peek at (see {@link #wantsBody()}); Envoy's replies are shorter.
   */
  public static final int BODY_PEEK_BYTES = 512;

  /** A body longer than this is not one of Envoy's replies: not worth peeking at. */
  private static final long MAX_ENVOY_BODY = 2048;

  /** The status of an exchange that ended without any HTTP answer. */
  public static final int NO_STATUS = -1;

  private final String client;
  private final int status;
  private final Throwable failure;
  private String method = "";
  private String url = "";
  private String requestId;
  private String upstreamServiceTime;
  private String overloaded;
  private String rateLimited;
  private String server;
  private String contentType;
  private long contentLength = -1;
  private String body;

  OutboundExchange(String client, int status, Throwable failure) {
    this.client = client;
    this.status = status;
    this.failure = failure;
  }

  /** Describes the request: its method, full URL (the query is never printed) and request id. */
  public OutboundExchange request(String method, String url, String requestId) {
    this.method = method == null ? "" : method;
    this.url = url == null ? "" : url;
    this.requestId = requestId;
    return this;
  }

  /** Records a response header; names the classifier does not read are ignored. */
  public OutboundExchange header(String name, String value) {
    if (value == null || name == null) {
      return this;
    }
    switch (name.toLowerCase(Locale.ROOT)) {
      case EnvoyReplies.UPSTREAM_SERVICE_TIME:
        upstreamServiceTime = value;
        break;
      case EnvoyReplies.OVERLOADED:
        overloaded = value;
        break;
      case EnvoyReplies.RATE_LIMITED:
        rateLimited = value;
        break;
      case "server":
        server = value.trim();
        break;
      case "content-type":
        contentType = value.trim().toLowerCase(Locale.ROOT);
        break;
      case "content-length":
        contentLength = parseLength(value);
        break;
      default:
        break;
    }
    return this;
  }

  private static long parseLength(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * True when the body may be one of Envoy's short text replies and is worth looking at: known
   * length, at most a few KiB, plain text or no type. A caller that asks this then looks only at
   * bytes it already holds (received, buffered, or passing by on their way to the application):
   * diagnostics never wait for a body, never take bytes from the application and never read a
   * stream the application has not read. Without those bytes the body stays "not read".
   */
  public boolean wantsBody() {
    return body == null
        && contentLength > 0
        && contentLength <= MAX_ENVOY_BODY
        && (contentType == null || contentType.startsWith("text/plain"));
  }

  /** How many bytes to peek at: the body's length, at most {@link #BODY_PEEK_BYTES}. */
  public int bodyPeekBytes() {
    return (int) Math.min(BODY_PEEK_BYTES, Math.max(contentLength, 0));
  }

  /** The start of the body, as text, when the client already holds it; null means "not read". */
  public OutboundExchange body(String prefix) {
    body =
        prefix == null || prefix.length() <= BODY_PEEK_BYTES
            ? prefix
            : prefix.substring(0, BODY_PEEK_BYTES);
    return this;
  }

  /**
   * The first {@code length} bytes of the body (at most {@link #BODY_PEEK_BYTES} are used), as
   * received; decoded as UTF-8, which Envoy's replies are.
   */
  public OutboundExchange bodyBytes(byte[] bytes, int length) {
    return body(new String(bytes, 0, Math.min(length, BODY_PEEK_BYTES), StandardCharsets.UTF_8));
  }

  /**
   * The body as a client holds it after reading it all: a {@code String} or {@code byte[]} is used,
   * anything else (a stream, nothing) leaves the body "not read".
   */
  public OutboundExchange bodyObject(Object held) {
    if (held instanceof String) {
      return body((String) held);
    }
    if (held instanceof byte[]) {
      byte[] bytes = (byte[]) held;
      return bodyBytes(bytes, bytes.length);
    }
    return this;
  }

  /** The client's short name, e.g. {@code okhttp}. */
  public String client() {
    return client;
  }

  /** The HTTP status, or {@link #NO_STATUS} when the call ended without an answer. */
  public int status() {
    return status;
  }

  /** The exception that ended the call without an answer, or null. */
  public Throwable failure() {
    return failure;
  }

  /** The request method, e.g. {@code GET}; "" when unknown. */
  public String method() {
    return method;
  }

  /** The URL as given; see {@link UrlText} for what is printed. */
  public String url() {
    return url;
  }

  /** The request's {@code x-request-id}, or null when it had none. */
  public String requestId() {
    return requestId;
  }

  void requestIdIfAbsent(String fallback) {
    if (requestId == null) {
      requestId = fallback;
    }
  }

  String upstreamServiceTime() {
    return upstreamServiceTime;
  }

  String overloaded() {
    return overloaded;
  }

  String rateLimited() {
    return rateLimited;
  }

  String server() {
    return server;
  }

  /** The content type in lower case, or null. */
  String contentType() {
    return contentType;
  }

  long contentLength() {
    return contentLength;
  }

  /** The body's start, "" for a known empty body, null when it was not read. */
  String body() {
    if (body == null && contentLength == 0) {
      return "";
    }
    return body;
  }
}
