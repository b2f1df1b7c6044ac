package dev.meshaware.agent.apps;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Calls as an application that reads the answer makes them: each returns {@code "<status> <body>"}
 * as the application got them (or {@code "error <exception>"}), so a test can check that
 * diagnostics changed nothing the application sees. {@code jdk} and {@code jdk-async} read the body
 * as a String, the handler most applications use. Library clients are in {@link
 * LibraryBodyClients}, so JDK-only cases never load them.
 */
final class BodyClients {
  private static volatile HttpClient jdk;

  private BodyClients() {}

  static String call(String client, String url) {
    try {
      switch (client) {
        case "urlconnection":
          return urlConnection(url);
        case "jdk":
          return jdk(url, false);
        case "jdk-async":
          return jdk(url, true);
        default:
          return LibraryBodyClients.call(client, url);
      }
    } catch (Exception e) {
      return "error " + e;
    }
  }

  private static String urlConnection(String url) throws Exception {
    HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
    int status = connection.getResponseCode();
    InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
    String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    if (in != null) {
      in.close();
    }
    return status + " " + body;
  }

  private static String jdk(String url, boolean async) throws Exception {
    if (jdk == null) {
      jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
    HttpResponse<String> response =
        async
            ? jdk.sendAsync(request, HttpResponse.BodyHandlers.ofString()).get(10, TimeUnit.SECONDS)
            : jdk.send(request, HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }
}
