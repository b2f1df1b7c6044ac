package dev.meshaware.core.bind;

import java.time.Duration;

/**
 * Compares how long a server keeps an idle keep-alive connection open with how long the sidecar in
 * front of it does. A server that closes first races the sidecar: a request the sidecar sends on
 * the connection just as the server closes it fails, and the caller gets {@code 503 UC}. Where the
 * server closes later, or never, the sidecar closes first and nothing can race.
 *
 * <p>The line is {@code INFO}, not {@code WARNING}: almost every server's default is shorter than
 * Istio's hour, and Istio already retries what this race produces (the caller's sidecar retries a
 * 503 twice by default, and from Istio 1.24 the inbound sidecar itself retries a reset that came
 * before the request was sent), so the race costs a retry, not an error, unless retries are off or
 * narrowed. The facts and their sources: docs/keep-alive.md.
 */
public final class KeepAlivePolicy {
  private static final String SIDECAR_FIX =
      "Sidecar spec.inboundConnectionPool.http.idleTimeout (Istio 1.21+; before 1.21 a"
          + " DestinationRule's trafficPolicy.connectionPool.http.idleTimeout applied to the"
          + " server's sidecar too)";

  /** The servers whose idle timeout the edges read, with the setting that changes it. */
  public enum Server {
    TOMCAT("Tomcat", "server.tomcat.keep-alive-timeout (the Connector's keepAliveTimeout)"),
    REACTOR_NETTY("Reactor Netty", "server.netty.idle-timeout (HttpServer.idleTimeout)"),
    JDK_HTTP_SERVER("the JDK's HttpServer", "-Dsun.net.httpserver.idleInterval (seconds)"),
    JETTY("Jetty", "server.jetty.connection-idle-timeout (the connector's idleTimeout)"),
    UNDERTOW("Undertow", "server.undertow.no-request-timeout (UndertowOptions.NO_REQUEST_TIMEOUT)");

    private final String shown;
    private final String setting;

    Server(String shown, String setting) {
      this.shown = shown;
      this.setting = setting;
    }

    /** The server's name in lines, e.g. {@code Tomcat}. */
    public String shown() {
      return shown;
    }

    /** Where the server's idle timeout is set. */
    public String setting() {
      return setting;
    }
  }

  private final Duration sidecarIdleTimeout;

  /**
   * @param sidecarIdleTimeout how long the sidecar keeps an idle connection open; zero: forever
   */
  public KeepAlivePolicy(Duration sidecarIdleTimeout) {
    this.sidecarIdleTimeout = sidecarIdleTimeout;
  }

  /** The sidecar's idle timeout this policy compares with; zero: it never closes. */
  public Duration sidecarIdleTimeout() {
    return sidecarIdleTimeout;
  }

  /**
   * True when {@code serverIdleTimeout} (null, zero or negative: the server never closes an idle
   * connection) ends before the sidecar's.
   */
  public boolean closesFirst(Duration serverIdleTimeout) {
    if (serverIdleTimeout == null || serverIdleTimeout.isZero() || serverIdleTimeout.isNegative()) {
      return false;
    }
    return sidecarIdleTimeout.isZero() || serverIdleTimeout.compareTo(sidecarIdleTimeout) < 0;
  }

  /**
   * The line for {@code server} on {@code port} that closes idle connections after {@code
   * serverIdleTimeout}, or null when it does not close before the sidecar.
   */
  public String message(Server server, int port, Duration serverIdleTimeout) {
    if (!closesFirst(serverIdleTimeout)) {
      return null;
    }
    String serverText = text(serverIdleTimeout);
    String sidecarText =
        sidecarIdleTimeout.isZero() ? "never" : "after " + text(sidecarIdleTimeout);
    return server.shown()
        + " on port "
        + port
        + " closes idle keep-alive connections after "
        + serverText
        + ", the sidecar "
        + sidecarText
        + " (meshaware.bind.sidecar-idle-timeout): a request the sidecar sends as the server"
        + " closes fails with 503 UC. Istio's default retries usually absorb it; it surfaces"
        + " where retries are off or narrowed (VirtualService retries). To rule it out, raise "
        + server.setting()
        + (sidecarIdleTimeout.isZero() ? " to never close," : " above " + text(sidecarIdleTimeout))
        + " or make the sidecar close first: "
        + SIDECAR_FIX
        + " below "
        + serverText;
  }

  /**
   * The shorter of two millisecond timeouts of which either may be unset (zero or negative), as a
   * server with two idle limits closes at the first; null when neither is set.
   */
  public static Duration shorterTimeout(long firstMillis, long secondMillis) {
    if (firstMillis <= 0 && secondMillis <= 0) {
      return null;
    }
    if (firstMillis <= 0 || (secondMillis > 0 && secondMillis < firstMillis)) {
      return Duration.ofMillis(secondMillis);
    }
    return Duration.ofMillis(firstMillis);
  }

  /**
   * The idle timeout of every JDK {@code HttpServer} in this JVM: {@code
   * sun.net.httpserver.idleInterval} seconds, 30 when unset or not positive (the JDK's {@code
   * sun.net.httpserver.ServerConfig}).
   */
  public static Duration jdkHttpServerIdleTimeout() {
    long seconds = 30;
    try {
      Long configured = Long.getLong("sun.net.httpserver.idleInterval");
      if (configured != null && configured > 0) {
        seconds = configured;
      }
    } catch (SecurityException e) {
      // the JDK reads it with its own privileges; the default is the best guess
    }
    return Duration.ofSeconds(seconds);
  }

  /** The report's text: both numbers, e.g. {@code Tomcat 20s, sidecar 1h}. */
  public String reportText(Server server, Duration serverIdleTimeout) {
    return server.shown()
        + " "
        + (isFinite(serverIdleTimeout) ? text(serverIdleTimeout) : "never")
        + ", sidecar "
        + (sidecarIdleTimeout.isZero() ? "never" : text(sidecarIdleTimeout))
        + (closesFirst(serverIdleTimeout) ? " (the server closes first)" : "");
  }

  private static boolean isFinite(Duration duration) {
    return duration != null && !duration.isZero() && !duration.isNegative();
  }

  /** The shortest text for a duration: {@code 1h}, {@code 90s}, {@code 1500ms}. */
  static String text(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 3_600_000 == 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis % 60_000 == 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1000 == 0) {
      return millis / 1000 + "s";
    }
    return millis + "ms";
  }
}
