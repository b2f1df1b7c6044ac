package dev.meshaware.core.startup;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the pod's network shows before any proxy is up, read without privileges in a few
 * milliseconds. The containers of a pod share one network namespace, so its listener table ({@code
 * /proc/net/tcp}, {@code tcp6}) shows the proxy's ports once the proxy opened them, and the traffic
 * redirection that Istio's and Linkerd's init container or CNI plugin installed before any
 * application container started already acts on this process's connections: a connection to the
 * Kubernetes API's Service address is turned to the proxy's outbound port on loopback, where
 * nothing listens yet, and is refused at once. Without a mesh the same connection reaches the API
 * server.
 */
public final class PodNetwork {
  /** How long the redirection probe may take: it decides within the gate's first 200 ms. */
  static final Duration PROBE_TIMEOUT = Duration.ofMillis(150);

  static final String KUBERNETES_SERVICE_PORT = "KUBERNETES_SERVICE_PORT";
  private static final int MAX_LINES = 50_000;
  private static final int LISTEN = 0x0A;

  private final Path[] tables;

  PodNetwork(Path... tables) {
    this.tables = tables;
  }

  /** The process's own network namespace, as Linux shows it. */
  public static PodNetwork system() {
    return new PodNetwork(Paths.get("/proc/net/tcp"), Paths.get("/proc/net/tcp6"));
  }

  /** The TCP ports something listens on in this network namespace; empty when unreadable. */
  Set<Integer> listeningPorts() {
    Set<Integer> ports = new TreeSet<>();
    for (Path table : tables) {
      if (!Files.isReadable(table)) {
        continue;
      }
      try (BufferedReader reader = Files.newBufferedReader(table, StandardCharsets.US_ASCII)) {
        reader.readLine(); // the header
        String line;
        for (int count = 0; count < MAX_LINES && (line = reader.readLine()) != null; count++) {
          try {
            listeningPort(line, ports);
          } catch (RuntimeException e) {
            // One unreadable line hides nothing else.
          }
        }
      } catch (IOException | RuntimeException e) {
        // An unreadable table shows nothing; the other evidence decides.
      }
    }
    return ports;
  }

  /**
   * {@code " 0: 00000000:3A99 00000000:0000 0A ..."}: the local address and port in hex, then the
   * remote one, then the state, 0A for a listening socket.
   */
  private static void listeningPort(String line, Set<Integer> ports) {
    String[] fields = line.trim().split("\\s+", 5);
    if (fields.length < 4 || fields[3].length() != 2) {
      return;
    }
    if (Integer.parseInt(fields[3], 16) != LISTEN) {
      return;
    }
    int colon = fields[1].lastIndexOf(':');
    if (colon > 0) {
      ports.add(Integer.parseInt(fields[1].substring(colon + 1), 16));
    }
  }

  /** What a connection to the Kubernetes API's Service address showed. */
  enum Redirect {
    /** Refused at once: turned to a proxy port where nothing listens yet. */
    REFUSED,
    /** Connected: reached something (the API server, or a proxy that listens). */
    CONNECTED,
    /** No answer in time, no address to try, or another error: no conclusion. */
    UNKNOWN
  }

  /** The outcome of {@link #probeRedirect}, with what was tried, for the evidence line. */
  static final class RedirectProbe {
    final Redirect outcome;
    final String detail;

    RedirectProbe(Redirect outcome, String detail) {
      this.outcome = outcome;
      this.detail = detail;
    }
  }

  /**
   * Opens and closes one TCP connection to {@code host:port} (the values of {@code
   * KUBERNETES_SERVICE_HOST} and {@code KUBERNETES_SERVICE_PORT}, which the kubelet sets to IP
   * addresses): no byte is sent. Never looks a name up, never takes longer than {@link
   * #PROBE_TIMEOUT}, never throws.
   */
  static RedirectProbe probeRedirect(String host, String port) {
    if (host == null || port == null || host.trim().isEmpty() || port.trim().isEmpty()) {
      return new RedirectProbe(Redirect.UNKNOWN, KUBERNETES_SERVICE_PORT + " unset");
    }
    String target = host.trim() + ":" + port.trim();
    InetAddress address = ipLiteral(host.trim());
    int number = portNumber(port.trim());
    if (address == null || number < 0) {
      return new RedirectProbe(
          Redirect.UNKNOWN, "the Kubernetes API address " + target + " is not an IP and port");
    }
    String shown = "the Kubernetes API Service at " + target;
    try (Socket socket = new Socket(Proxy.NO_PROXY)) {
      socket.connect(new InetSocketAddress(address, number), (int) PROBE_TIMEOUT.toMillis());
      return new RedirectProbe(Redirect.CONNECTED, "a connection to " + shown + " was accepted");
    } catch (ConnectException e) {
      String message = String.valueOf(e.getMessage());
      if (message.contains("refused")) {
        return new RedirectProbe(Redirect.REFUSED, "a connection to " + shown + " was refused");
      }
      return new RedirectProbe(Redirect.UNKNOWN, "connecting to " + shown + ": " + message);
    } catch (SocketTimeoutException e) {
      return new RedirectProbe(
          Redirect.UNKNOWN,
          "a connection to " + shown + " got no answer in " + PROBE_TIMEOUT.toMillis() + " ms");
    } catch (IOException | RuntimeException e) {
      return new RedirectProbe(Redirect.UNKNOWN, "connecting to " + shown + ": " + e);
    }
  }

  /** The address {@code text} spells, without any name lookup; null when it is not an address. */
  static InetAddress ipLiteral(String text) {
    String bare =
        text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    boolean v6 = bare.indexOf(':') >= 0;
    if (bare.isEmpty() || bare.length() > 45) {
      return null;
    }
    for (int i = 0; i < bare.length(); i++) {
      char c = bare.charAt(i);
      boolean ok =
          v6
              ? Character.digit(c, 16) >= 0 || c == ':' || c == '.'
              : (c >= '0' && c <= '9') || c == '.';
      if (!ok) {
        return null;
      }
    }
    if (!v6 && !isDottedQuad(bare)) {
      return null;
    }
    try {
      return InetAddress.getByName(bare); // a literal: parsed, never looked up
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static boolean isDottedQuad(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  private static int portNumber(String text) {
    if (text.isEmpty() || text.length() > 5) {
      return -1;
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return -1;
      }
    }
    int port = Integer.parseInt(text);
    return port >= 1 && port <= 65535 ? port : -1;
  }
}
