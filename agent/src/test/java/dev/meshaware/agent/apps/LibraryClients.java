package dev.meshaware.agent.apps;

import dev.meshaware.agent.testing.TestHttp;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;

/** Third-party clients; a separate class so JDK-only cases never load them. */
final class LibraryClients {
  private static OkHttpClient okHttp;
  private static CloseableHttpClient apache5;
  private static CloseableHttpAsyncClient apache5Async;
  private static org.apache.http.impl.client.CloseableHttpClient apache4;

  private LibraryClients() {}

  static synchronized void init() {
    if (okHttp == null) {
      okHttp = new OkHttpClient();
      apache5 = HttpClients.createDefault();
      apache5Async = HttpAsyncClients.createDefault();
      apache5Async.start();
      apache4 = org.apache.http.impl.client.HttpClients.createDefault();
    }
  }

  static int call(String client, String url, String appSpanId) throws Exception {
    init();
    switch (client) {
      case "okhttp":
        return okHttp(url, appSpanId, false);
      case "okhttp-async":
        return okHttp(url, appSpanId, true);
      case "apache5":
        {
          HttpGet get = new HttpGet(url);
          if (appSpanId != null) {
            get.addHeader(Clients.APP_SET_HEADER, appSpanId);
          }
          return apache5.execute(get, response -> response.getCode());
        }
      case "apache5-async":
        {
          SimpleHttpRequest get = SimpleRequestBuilder.get(url).build();
          if (appSpanId != null) {
            get.addHeader(Clients.APP_SET_HEADER, appSpanId);
          }
          SimpleHttpResponse response = apache5Async.execute(get, null).get(10, TimeUnit.SECONDS);
          return response.getCode();
        }
      case "apache4":
        {
          org.apache.http.client.methods.HttpGet get =
              new org.apache.http.client.methods.HttpGet(url);
          if (appSpanId != null) {
            get.addHeader(Clients.APP_SET_HEADER, appSpanId);
          }
          try (org.apache.http.client.methods.CloseableHttpResponse response =
              apache4.execute(get)) {
            return response.getStatusLine().getStatusCode();
          }
        }
      case "reactor-netty":
        return ReactorClients.block(url, appSpanId);
      case "reactor-netty-follow":
        return ReactorClients.blockFollowing(url, appSpanId);
      case "reactor-netty-future":
        return ReactorClients.future(url, appSpanId);
      case "reactor-netty-chain":
        return ReactorClients.blockOnChain(url, appSpanId);
      default:
        TestHttp.Client registered = TestHttp.clients().get(client);
        if (registered == null) {
          throw new IllegalArgumentException("unknown client " + client);
        }
        return registered.call(url, appSpanId);
    }
  }

  private static int okHttp(String url, String appSpanId, boolean async) throws Exception {
    Request.Builder request = new Request.Builder().url(url);
    if (appSpanId != null) {
      request.header(Clients.APP_SET_HEADER, appSpanId);
    }
    Call call = okHttp.newCall(request.build());
    if (!async) {
      try (Response response = call.execute()) {
        return response.code();
      }
    }
    CompletableFuture<Integer> status = new CompletableFuture<>();
    call.enqueue(
        new Callback() {
          @Override
          public void onFailure(Call failed, java.io.IOException e) {
            status.completeExceptionally(e);
          }

          @Override
          public void onResponse(Call done, Response response) {
            try (Response closing = response) {
              status.complete(closing.code());
            }
          }
        });
    return status.get(10, TimeUnit.SECONDS);
  }
}
