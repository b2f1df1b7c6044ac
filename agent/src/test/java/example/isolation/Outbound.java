package example.isolation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URL;

/**
 * The outbound call every piece of work ends in: {@code GET <recorder>/rec/<tag>} with {@code
 * HttpURLConnection}, which the agent adds the current request's headers to. The recorder tells
 * from the tag which headers the call should have carried.
 */
final class Outbound {
  private static final String BASE = "http://127.0.0.1:" + System.getProperty("app.recorder");

  private Outbound() {}

  static void call(String tag) {
    try {
      HttpURLConnection connection =
          (HttpURLConnection) new URL(BASE + "/rec/" + tag).openConnection();
      connection.setConnectTimeout(5_000);
      connection.setReadTimeout(10_000);
      int status = connection.getResponseCode();
      try (InputStream in = connection.getInputStream()) {
        in.readAllBytes();
      }
      if (status != 200) {
        throw new IllegalStateException("recorder answered " + status + " for " + tag);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
