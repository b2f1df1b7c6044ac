package dev.meshaware.agent.apps;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import reactor.netty.http.client.HttpClient;

/** The library clients of {@link BodyClients}, created once and reused. */
final class LibraryBodyClients {
  private static OkHttpClient okHttp;
  private static CloseableHttpClient apache5;
  private static CloseableHttpAsyncClient apache5Async;
  private static org.apache.http.impl.client.CloseableHttpClient apache4;
  private static HttpClient reactor;

  private LibraryBodyClients() {}

  private static synchronized void init() {
    if (okHttp == null) {
      okHttp = new OkHttpClient();
      apache5 = HttpClients.createDefault();
      apache5Async = HttpAsyncClients.createDefault();
      apache5Async.start();
      apache4 = org.apache.http.impl.client.HttpClients.createDefault();
      reactor = HttpClient.create();
    }
  }

  static String call(String client, String url) throws Exception {
    init();
    switch (client) {
      case "okhttp":
        try (Response response = okHttp.newCall(new Request.Builder().url(url).build()).execute()) {
          return response.code() + " " + response.body().string();
        }
      case "okhttp-async":
        return okHttpAsync(url);
      case "apache5":
        return apache5.execute(
            new HttpGet(url),
            response ->
                response.getCode()
                    + " "
                    + (response.getEntity() == null
                        ? ""
                        : EntityUtils.toString(response.getEntity())));
      case "apache5-async":
        {
          SimpleHttpResponse response =
              unwrapped(apache5Async.execute(SimpleRequestBuilder.get(url).build(), null));
          return response.getCode()
              + " "
              + (response.getBodyText() == null ? "" : response.getBodyText());
        }
      case "apache4":
        try (org.apache.http.client.methods.CloseableHttpResponse response =
            apache4.execute(new org.apache.http.client.methods.HttpGet(url))) {
          return response.getStatusLine().getStatusCode()
              + " "
              + (response.getEntity() == null
                  ? ""
                  : org.apache.http.util.EntityUtils.toString(response.getEntity()));
        }
      case "reactor-netty":
        return reactor
            .get()
            .uri(url)
            .responseSingle(
                (response, body) ->
                    body.asString()
                        .defaultIfEmpty("")
                        .map(text -> response.status().code() + " " + text))
            .block(Duration.ofSeconds(10));
      default:
        throw new IllegalArgumentException("unknown client " + client);
    }
  }

  private static String okHttpAsync(String url) throws Exception {
    CompletableFuture<String> result = new CompletableFuture<>();
    Call call = okHttp.newCall(new Request.Builder().url(url).build());
    call.enqueue(
        new Callback() {
          @Override
          public void onFailure(Call failed, java.io.IOException e) {
            result.completeExceptionally(e);
          }

          @Override
          public void onResponse(Call done, Response response) {
            try (Response closing = response) {
              result.complete(closing.code() + " " + closing.body().string());
            } catch (Exception e) {
              result.completeExceptionally(e);
            }
          }
        });
    return unwrapped(result);
  }

  /** The result of {@code future}, or the exception the call failed with (not its wrapper). */
  private static <T> T unwrapped(java.util.concurrent.Future<T> future) throws Exception {
    try {
      return future.get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }
}
