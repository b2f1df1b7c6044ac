package dev.meshaware.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/1.1 server on a raw socket (loopback only) that answers exactly as scripted, byte for
 * byte and step by step: the head in one write, then body parts, and gates where it waits until the
 * test {@linkplain Reply#release() releases} it. That lets a test tell whether a client handed the
 * application its response before the body was sent, without timing anything: the test releases the
 * gate only once the application has the response, and the server reports whether it was released
 * or gave up waiting ({@link #GATE_TIMEOUT}, so a client that waits for the body never hangs the
 * test). Every answer closes its connection.
 */
public final class ScriptedHttpServer implements AutoCloseable {
  /** How long a gate waits before it sends the rest anyway and records that it had to. */
  public static final Duration GATE_TIMEOUT = Duration.ofSeconds(15);

  private final ServerSocket socket;
  private final Map<String, Reply> replies = new ConcurrentHashMap<>();
  private final Thread acceptor;

  private ScriptedHttpServer(ServerSocket socket) {
    this.socket = socket;
    this.acceptor = new Thread(this::accept, "scripted-http-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Starts a server on 127.0.0.1 and a free port. */
  public static ScriptedHttpServer start() throws IOException {
    return new ScriptedHttpServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
  }

  public int port() {
    return socket.getLocalPort();
  }

  /** {@code http://127.0.0.1:<port><path>}. */
  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /** Scripts the answer for {@code path} (the request's path, query ignored); returns it. */
  public Reply on(String path, Reply reply) {
    replies.put(path, reply);
    return reply;
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket connection = socket.accept();
        Thread serving = new Thread(() -> serve(connection), "scripted-http-serve");
        serving.setDaemon(true);
        serving.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket connection) {
    try (Socket closing = connection) {
      String path = requestPath(closing.getInputStream());
      Reply reply = path == null ? null : replies.get(path);
      OutputStream out = closing.getOutputStream();
      if (reply == null) {
        out.write(
            "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
      } else {
        reply.writeTo(out);
      }
      out.flush();
      closing.shutdownOutput();
      // Let the client read everything before the close; a reset could cut the last bytes.
      closing.setSoTimeout(2000);
      drain(closing.getInputStream());
    } catch (IOException e) {
      // the client went away: nothing to answer
    }
  }

  private static void drain(InputStream in) {
    try {
      byte[] skip = new byte[1024];
      while (in.read(skip) >= 0) {
        // until the client closes
      }
    } catch (IOException e) {
      // timed out or reset: done either way
    }
  }

  /** Reads the request head; returns its path without query, or null. */
  private static String requestPath(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int lastFour = 0;
    while (lastFour != 0x0d0a0d0a) { // CR LF CR LF ends the head
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      lastFour = (lastFour << 8) | b;
    }
    String requestLine = head.toString(StandardCharsets.ISO_8859_1).split("\r\n", 2)[0];
    String[] parts = requestLine.split(" ");
    if (parts.length < 2) {
      return null;
    }
    int query = parts[1].indexOf('?');
    return query < 0 ? parts[1] : parts[1].substring(0, query);
  }

  @Override
  public void close() throws IOException {
    socket.close();
    for (Reply reply : replies.values()) {
      reply.release();
    }
  }

  /** One scripted answer: status, headers, then body parts and gates in order. */
  public static final class Reply {
    private final int status;
    private final List<String[]> headers = new ArrayList<>();
    private final List<byte[]> parts = new ArrayList<>(); // null: a gate
    private final CountDownLatch gate = new CountDownLatch(1);
    private final CountDownLatch served = new CountDownLatch(1);
    private boolean chunked;
    private volatile boolean gateTimedOut;
    private volatile boolean gateReached;

    private Reply(int status) {
      this.status = status;
    }

    /** An answer with {@code status}; add headers and the body with the methods below. */
    public static Reply status(int status) {
      return new Reply(status);
    }

    public Reply header(String name, String value) {
      headers.add(new String[] {name, value});
      return this;
    }

    /** Sends the body with chunked transfer encoding, one chunk per part; else content-length. */
    public Reply chunked() {
      chunked = true;
      return this;
    }

    /** The next part of the body. */
    public Reply part(byte[] bytes) {
      parts.add(bytes.clone());
      return this;
    }

    /** Waits here until {@link #release()} (or {@link #GATE_TIMEOUT}) before sending the rest. */
    public Reply gate() {
      parts.add(null);
      return this;
    }

    /** Opens the gate. */
    public void release() {
      gate.countDown();
    }

    /** True once the server has sent everything before the gate and waits there. */
    public boolean gateReached() {
      return gateReached;
    }

    /**
     * True when the gate was opened by {@link #release()}; false when the server gave up waiting
     * and sent the rest anyway (the client did not hand the application the response in time).
     */
    public boolean releasedByTest() {
      return !gateTimedOut;
    }

    /** Waits until the whole answer was written; true when it was. */
    public boolean awaitServed(Duration timeout) throws InterruptedException {
      return served.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The whole body as the application must get it. */
    public byte[] body() {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (byte[] part : parts) {
        if (part != null) {
          all.writeBytes(part);
        }
      }
      return all.toByteArray();
    }

    void writeTo(OutputStream out) throws IOException {
      StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ');
      head.append(status < 400 ? "OK" : "Failed").append("\r\n");
      for (String[] header : headers) {
        head.append(header[0]).append(": ").append(header[1]).append("\r\n");
      }
      if (chunked) {
        head.append("transfer-encoding: chunked\r\n");
      } else {
        head.append("content-length: ").append(body().length).append("\r\n");
      }
      head.append("connection: close\r\n\r\n");
      ByteArrayOutputStream pending = new ByteArrayOutputStream();
      pending.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      for (byte[] part : parts) {
        if (part == null) {
          out.write(pending.toByteArray());
          out.flush();
          pending.reset();
          gateReached = true;
          try {
            // Sticky: a client that asks again (a retry) must not hide that it waited once.
            if (!gate.await(GATE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
              gateTimedOut = true;
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        } else if (chunked) {
          pending.writeBytes(
              (Integer.toHexString(part.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
          pending.writeBytes(part);
          pending.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        } else {
          pending.writeBytes(part);
        }
      }
      if (chunked) {
        pending.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      }
      out.write(pending.toByteArray());
      out.flush();
      served.countDown();
    }
  }
}
