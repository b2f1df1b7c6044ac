package dev.meshaware.agent.apps;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Outbound calls through real clients, as an application makes them. Each client is created once
 * and reused, as applications do, so pooled connections and dispatcher threads are part of the
 * test. With {@code appSpanId} the application sets {@code x-b3-spanid} itself. Public for the test
 * applications of each library (their packages are their own).
 */
public final class Clients {
  static final String APP_SET_HEADER = "x-b3-spanid";
  private static volatile HttpClient jdk;
  private static volatile HttpClient jdkFollowing;

  private Clients() {}

  public static int call(String client, String url, String appSpanId) throws Exception {
    switch (client) {
      case "urlconnection":
        return urlConnection(url, appSpanId);
      case "jdk":
        return jdkRequest(url, appSpanId, false);
      case "jdk-async":
        return jdkRequest(url, appSpanId, true);
      case "jdk-follow":
        return jdkRequest(following(), url, appSpanId, false);
      case "jdk-follow-async":
        return jdkRequest(following(), url, appSpanId, true);
      case "grpc":
        return GrpcClient.call(url, appSpanId, false);
      case "grpc-async":
        return GrpcClient.call(url, appSpanId, true);
      case "grpc-shared-metadata":
        return GrpcClient.callWithSharedMetadata(url);
      default:
        return LibraryClients.call(client, url, appSpanId);
    }
  }

  private static int urlConnection(String url, String appSpanId) throws Exception {
    HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
    if (appSpanId != null) {
      connection.setRequestProperty(APP_SET_HEADER, appSpanId);
    }
    int status = connection.getResponseCode();
    try (InputStream in = connection.getInputStream()) {
      in.readAllBytes();
    }
    return status;
  }

  private static int jdkRequest(String url, String appSpanId, boolean async) throws Exception {
    if (jdk == null) {
      jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }
    return jdkRequest(jdk, url, appSpanId, async);
  }

  /** A JDK client that follows redirects, as one configured for it does (the default: never). */
  private static HttpClient following() {
    if (jdkFollowing == null) {
      jdkFollowing =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .followRedirects(HttpClient.Redirect.NORMAL)
              .build();
    }
    return jdkFollowing;
  }

  private static int jdkRequest(HttpClient jdk, String url, String appSpanId, boolean async)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    if (appSpanId != null) {
      request.header(APP_SET_HEADER, appSpanId);
    }
    if (async) {
      CompletableFuture<HttpResponse<Void>> response =
          jdk.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding());
      return response.get(10, TimeUnit.SECONDS).statusCode();
    }
    return jdk.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
