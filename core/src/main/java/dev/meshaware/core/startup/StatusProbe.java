package dev.meshaware.core.startup;

import dev.meshaware.core.config.HttpEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One HTTP request to the sidecar over a raw socket: the gate's readiness GET, the shutdown's quit
 * POST. A plain socket, not an HTTP client: the agent instruments HTTP clients, and meshaware must
 * neither trigger that instrumentation nor load client classes early. Only the status line is read,
 * so a slow or endless body cannot hold the caller. The socket is direct ({@link Proxy#NO_PROXY}):
 * a SOCKS proxy the application configures ({@code socksProxyHost}) never carries the probe.
 */
public final class StatusProbe {
  private static final int MAX_STATUS_LINE = 512;

  private StatusProbe() {}

  /** GETs {@code endpoint}; never takes longer than {@code timeout}, never throws. */
  static ProbeResult probe(HttpEndpoint endpoint, Duration timeout) {
    return probe(endpoint, timeout, HostResolver.system());
  }

  /** As {@link #probe(HttpEndpoint, Duration)}, resolving the host with {@code resolver}. */
  static ProbeResult probe(HttpEndpoint endpoint, Duration timeout, HostResolver resolver) {
    return send("GET", endpoint, timeout, resolver);
  }

  /**
   * POSTs an empty body to {@code endpoint} (the proxy's quit URL); never takes longer than {@code
   * timeout}, DNS included, never throws.
   */
  public static ProbeResult post(HttpEndpoint endpoint, Duration timeout, HostResolver resolver) {
    return send("POST", endpoint, timeout, resolver);
  }

  /**
   * Every blocking step shares the one deadline: the name lookup (bounded by {@link HostResolver}),
   * then the connect and each read with what is left. The address is resolved once and dialled as
   * such, so the socket never looks the name up again outside the deadline.
   */
  private static ProbeResult send(
      String method, HttpEndpoint endpoint, Duration timeout, HostResolver resolver) {
    long deadline = System.nanoTime() + timeout.toNanos();
    InetAddress address;
    try {
      address = resolver.resolve(endpoint, deadline);
    } catch (HostResolver.Unresolved e) {
      return ProbeResult.unresolved(e.getMessage());
    } catch (RuntimeException e) {
      return ProbeResult.unresolved("cannot resolve " + endpoint.host() + ": " + describe(e));
    }
    boolean connected = false;
    try (Socket socket = new Socket(Proxy.NO_PROXY)) {
      socket.connect(new InetSocketAddress(address, endpoint.port()), remainingMillis(deadline));
      connected = true;
      socket.setTcpNoDelay(true);
      OutputStream out = socket.getOutputStream();
      out.write(request(method, endpoint));
      out.flush();
      String statusLine = readStatusLine(socket, deadline);
      return classify(statusLine);
    } catch (SocketTimeoutException e) {
      String outcome = "timed out after " + timeout.toMillis() + " ms";
      return connected ? ProbeResult.notReady(outcome) : ProbeResult.unreachable(outcome);
    } catch (ConnectException e) {
      return ProbeResult.unreachable("connection refused");
    } catch (IOException | RuntimeException e) {
      String outcome = describe(e);
      return connected ? ProbeResult.notReady(outcome) : ProbeResult.unreachable(outcome);
    }
  }

  private static byte[] request(String method, HttpEndpoint endpoint) {
    String request =
        method
            + " "
            + endpoint.pathAndQuery()
            + " HTTP/1.1\r\nHost: "
            + endpoint.hostHeader()
            + "\r\nUser-Agent: meshaware\r\nAccept: */*\r\n"
            + (method.equals("GET") ? "" : "Content-Length: 0\r\n")
            + "Connection: close\r\n\r\n";
    return request.getBytes(StandardCharsets.US_ASCII);
  }

  private static String readStatusLine(Socket socket, long deadline) throws IOException {
    InputStream in = socket.getInputStream();
    byte[] line = new byte[MAX_STATUS_LINE];
    int length = 0;
    while (length < line.length) {
      socket.setSoTimeout(remainingMillis(deadline));
      int read = in.read(line, length, line.length - length);
      if (read < 0) {
        break;
      }
      for (int i = length; i < length + read; i++) {
        if (line[i] == '\n') {
          return new String(line, 0, i, StandardCharsets.ISO_8859_1).trim();
        }
      }
      length += read;
    }
    if (length == 0) {
      throw new IOException("connection closed without an answer");
    }
    return new String(line, 0, length, StandardCharsets.ISO_8859_1);
  }

  private static ProbeResult classify(String statusLine) {
    // "HTTP/1.1 200 OK": version, one space, three digits, then a space or the end.
    boolean wellFormed =
        statusLine.startsWith("HTTP/1.")
            && statusLine.length() >= 12
            && statusLine.charAt(8) == ' '
            && Character.isDigit(statusLine.charAt(9))
            && Character.isDigit(statusLine.charAt(10))
            && Character.isDigit(statusLine.charAt(11))
            && (statusLine.length() == 12 || statusLine.charAt(12) == ' ');
    if (!wellFormed) {
      return ProbeResult.notReady("not an HTTP answer");
    }
    int status = Integer.parseInt(statusLine.substring(9, 12));
    if (status == 200) {
      return ProbeResult.ok();
    }
    if (status >= 300 && status < 400) {
      return ProbeResult.notReady("HTTP " + status + " redirect (not followed)");
    }
    return ProbeResult.notReady("HTTP " + status);
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    if (message == null || message.isEmpty()) {
      return e.getClass().getSimpleName();
    }
    return message.length() > 80 ? message.substring(0, 80) + "..." : message;
  }

  /** Whole milliseconds left, at least 1: a socket timeout of 0 would mean "wait forever". */
  private static int remainingMillis(long deadlineNanos) throws SocketTimeoutException {
    long nanos = deadlineNanos - System.nanoTime();
    if (nanos <= 0) {
      throw new SocketTimeoutException("probe deadline passed");
    }
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (nanos + 999_999) / 1_000_000));
  }
}
