package dev.meshaware.core.testing;

import dev.meshaware.core.testing.ScriptedHttpServer.Reply;
import java.nio.charset.StandardCharsets;

/**
 * The answers that show whether diagnostics change what the application receives, for the agent's
 * and the starter's clients alike. Each has a status a sidecar may send and Envoy's server header,
 * so every diagnosing client goes as far as it ever goes with them. None is a 503 or 429: Apache
 * HttpClient 5 retries those by default and reads the body first, with or without meshaware.
 */
public final class FidelityReplies {
  /** Every byte value once, 0 to 255. */
  public static final byte[] ALL_BYTES = allBytes();

  /** Text with characters between 0x80 and 0xFF, which ISO-8859-1 and UTF-8 encode differently. */
  public static final String LATIN1_TEXT = "Grüße aus Köln: ½ café, naïve, ¡olé! ÿ";

  public static final String LATIN1_TYPE = "text/plain; charset=ISO-8859-1";

  /** Envoy's reply, sent seconds after its headers: the body the application must not wait for. */
  public static final String TRAILING_TEXT = "upstream request timeout";

  /** The first chunk of a streaming body, sent before the gate; the rest follows after it. */
  public static final String STREAM_FIRST = "first chunk of a stream that is not over\n";

  public static final String STREAM_REST = "the rest, sent once the test released it\n";

  private FidelityReplies() {}

  /** 502, no content type, known length, all 256 byte values. */
  public static Reply binary() {
    return envoy(502).part(ALL_BYTES);
  }

  /** 502 {@code text/plain; charset=ISO-8859-1}, known length, {@link #LATIN1_TEXT}. */
  public static Reply latin1() {
    return envoy(502)
        .header("content-type", LATIN1_TYPE)
        .part(LATIN1_TEXT.getBytes(StandardCharsets.ISO_8859_1));
  }

  /**
   * Envoy's 504 {@code upstream request timeout} with its headers sent at once and its body only
   * after the gate: a client that hands the application the response when the headers arrive must
   * do so before the gate opens.
   */
  public static Reply trailing() {
    return envoy(504)
        .header("content-type", "text/plain")
        .gate()
        .part(TRAILING_TEXT.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * A 502 with a chunked plain-text body that does not end until the gate opens: the application
   * must get the response and its first chunk before that.
   */
  public static Reply streaming() {
    return envoy(502)
        .header("content-type", "text/plain")
        .chunked()
        .part(STREAM_FIRST.getBytes(StandardCharsets.US_ASCII))
        .gate()
        .part(STREAM_REST.getBytes(StandardCharsets.US_ASCII));
  }

  private static Reply envoy(int status) {
    return Reply.status(status).header("server", "envoy");
  }

  private static byte[] allBytes() {
    byte[] all = new byte[256];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) i;
    }
    return all;
  }
}
