package dev.meshaware.core.diagnostics;

/**
 * One outbound call that failed in the mesh, as handed to {@link MeshFailureListener}s: what was
 * called, what came back and the diagnosis. Every failure is reported, also those whose log line
 * the repeat limit held back.
 */
public final class MeshFailure {
  private final Diagnosis diagnosis;
  private final String client;
  private final String method;
  private final String url;
  private final String host;
  private final int status;
  private final String requestId;

  MeshFailure(Diagnosis diagnosis, OutboundExchange exchange) {
    this.diagnosis = diagnosis;
    this.client = exchange.client();
    this.method = exchange.method();
    this.url = UrlText.printable(exchange.url());
    this.host = UrlText.host(exchange.url());
    this.status = exchange.status();
    this.requestId = exchange.requestId();
  }

  /** The classifier's answer: cause, origin, hint, evidence. */
  public Diagnosis diagnosis() {
    return diagnosis;
  }

  /** Shorthand for {@code diagnosis().cause()}. */
  public MeshCause cause() {
    return diagnosis.cause();
  }

  /** Shorthand for {@code diagnosis().origin()}. */
  public FailureOrigin origin() {
    return diagnosis.origin();
  }

  /** The client that made the call, e.g. {@code okhttp}. */
  public String client() {
    return client;
  }

  /** The request method, e.g. {@code GET}. */
  public String method() {
    return method;
  }

  /** The URL without query string, fragment or credentials. */
  public String url() {
    return url;
  }

  /** The destination host, lower case. */
  public String host() {
    return host;
  }

  /** The HTTP status, or {@link OutboundExchange#NO_STATUS} when no answer came. */
  public int status() {
    return status;
  }

  /** The request's {@code x-request-id}, or null. */
  public String requestId() {
    return requestId;
  }
}
