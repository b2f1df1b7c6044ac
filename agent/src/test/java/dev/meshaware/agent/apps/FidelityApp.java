package dev.meshaware.agent.apps;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * An application that reads answers the way applications do, for the test to compare what it
 * received with what the server sent. Commands arrive on standard input, one a line: {@code <tag>
 * <client> bytes <url> <firstLength>} streams the body and {@code <tag> <client> text <url>} reads
 * it as text through the client's own decoding. Each runs on its own thread and prints, prefixed
 * {@code FIDELITY <tag> }: {@code HEADERS <status> <content-type or ->} the moment the client hands
 * the application the response, {@code FIRST <hex>} once it has read the first {@code firstLength}
 * bytes (when positive), then {@code BODY <hex>} or {@code TEXT <hex of UTF-8>}, or {@code ERROR}.
 * Ends when its standard input closes.
 */
public final class FidelityApp {
  /** Printed once the application reads commands. */
  public static final String READY = "FIDELITY-READY";

  private FidelityApp() {}

  public static void main(String[] args) throws Exception {
    System.out.println(READY);
    BufferedReader commands =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = commands.readLine()) != null; ) {
      String[] words = line.trim().split(" ");
      if (words.length >= 4) {
        Thread call = new Thread(() -> run(words), "fidelity-" + words[0]);
        call.setDaemon(true);
        call.start();
      }
    }
    System.exit(0);
  }

  private static void run(String[] words) {
    Report report = new Report(words[0]);
    try {
      if (words[2].equals("text")) {
        report.text(FidelityClients.text(words[1], words[3]));
      } else {
        FidelityClients.bytes(words[1], words[3], Integer.parseInt(words[4]), report);
      }
    } catch (Throwable t) {
      report.line("ERROR " + t);
    }
  }

  /** What the application received, printed as it receives it. */
  static class Report {
    private final String tag;
    private int firstLength;

    Report(String tag) {
      this.tag = tag;
    }

    void line(String text) {
      System.out.println("FIDELITY " + tag + " " + text);
    }

    /** The client handed the application the response. */
    void headers(int status, String contentType, int firstLength) {
      this.firstLength = firstLength;
      line("HEADERS " + status + " " + (contentType == null ? "-" : contentType));
    }

    /** The application read the first part of the body. */
    void first(byte[] bytes) {
      line("FIRST " + hex(bytes));
    }

    /** The whole body. */
    void body(byte[] bytes) {
      line("BODY " + hex(bytes));
    }

    void text(String text) {
      line("TEXT " + hex(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Reads a body stream as an application does: the first part, then the rest. Never asks for
     * zero bytes, which some streams answer by waiting for the next chunk ({@code readNBytes} does
     * ask, once it has what it wanted).
     */
    void read(InputStream body) throws java.io.IOException {
      java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      boolean firstSeen = firstLength <= 0;
      while (true) {
        int wanted = firstSeen ? buffer.length : Math.min(buffer.length, firstLength - all.size());
        int read = body.read(buffer, 0, wanted);
        if (read < 0) {
          break;
        }
        all.write(buffer, 0, read);
        if (!firstSeen && all.size() >= firstLength) {
          firstSeen = true;
          first(all.toByteArray());
        }
      }
      body(all.toByteArray());
    }

    int firstLength() {
      return firstLength;
    }
  }

  public static String hex(byte[] bytes) {
    StringBuilder hex = new StringBuilder(bytes.length * 2 + 1).append('x');
    for (byte b : bytes) {
      hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return hex.toString();
  }

  /** The charset a content type names, ISO-8859-1 for text without one (HTTP/1.1's default). */
  static Charset charsetOf(String contentType) {
    if (contentType != null) {
      int at = contentType.toLowerCase(java.util.Locale.ROOT).indexOf("charset=");
      if (at >= 0) {
        return Charset.forName(contentType.substring(at + 8).trim());
      }
    }
    return StandardCharsets.ISO_8859_1;
  }
}
