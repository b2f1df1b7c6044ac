package dev.meshaware.core.diagnostics;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Recognises a call that got no HTTP answer at all although the connection was made: the
 * destination reset or closed it after reading the request. That is what a sidecar requiring mTLS
 * does to plaintext from a caller without a sidecar (a caller with one would get Envoy's 503
 * instead), so it is reported as mTLS-likely. Every client words it differently; these are the
 * words of the clients meshaware observes. Timeouts, refused connections and unknown hosts are not
 * this pattern and are left alone.
 */
final class NoAnswerFailures {
  /** Exception message fragments, lower case, that mean "connected, then no answer". */
  private static final String[] NO_ANSWER = {
    "connection reset", // SocketException from every blocking client; "by peer" on some systems
    "broken pipe", // the reset arrived while the request was still being written
    "unexpected end of stream", // OkHttp
    "unexpected end of file from server", // HttpURLConnection
    "header parser received no bytes", // java.net.http
    "eof reached while reading", // java.net.http
    "failed to respond", // Apache HttpClient's NoHttpResponseException
    "closed before response", // Reactor Netty's PrematureCloseException
    "httpconnectionoverhttp", // Jetty's HttpClient: an EOFException naming the HTTP/1 connection
    "connection was closed", // Vert.x's HttpClient: HttpClosedException, HTTP/1
  };

  private static final int MAX_DEPTH = 10;

  private NoAnswerFailures() {}

  static Diagnosis classify(Throwable failure) {
    Throwable current = failure;
    for (int depth = 0; current != null && depth < MAX_DEPTH; depth++) {
      if (isNotThisPattern(current)) {
        return Diagnosis.NOT_FROM_MESH;
      }
      if (meansNoAnswer(current)) {
        return Diagnosis.of(
            MeshCause.MTLS_LIKELY, FailureOrigin.REMOTE_SIDECAR_OR_GATEWAY, describe(current));
      }
      Throwable cause = current.getCause();
      current = cause == current ? null : cause;
    }
    return Diagnosis.NOT_FROM_MESH;
  }

  private static boolean isNotThisPattern(Throwable failure) {
    return failure instanceof InterruptedIOException // socket and call timeouts
        || failure instanceof ConnectException
        || failure instanceof UnknownHostException
        || failure.getClass().getName().endsWith("TimeoutException");
  }

  private static boolean meansNoAnswer(Throwable failure) {
    if (failure.getClass().getSimpleName().equals("NoHttpResponseException")) {
      return true;
    }
    String message = failure.getMessage();
    if (message == null) {
      return false;
    }
    String lower = message.toLowerCase(Locale.ROOT);
    for (String fragment : NO_ANSWER) {
      if (lower.contains(fragment)) {
        return true;
      }
    }
    return false;
  }

  static String describe(Throwable failure) {
    String message = failure.getMessage();
    return failure.getClass().getSimpleName()
        + (message == null ? "" : ": " + Printable.of(message, 200));
  }
}
