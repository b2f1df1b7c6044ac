package dev.meshaware.agent.apps;

import dev.meshaware.agent.apps.FidelityApp.Report;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/**
 * The clients of {@link FidelityApp}, each read through its streaming API (the response as soon as
 * the client has it, then the body as it arrives) or its text API. Created once, as applications
 * do. OkHttp waits for data without a read timeout, so a wait for a body never ends by itself.
 */
final class FidelityClients {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static HttpClient jdk;
  private static OkHttpClient okHttp;
  private static CloseableHttpClient apache5;
  private static CloseableHttpAsyncClient apache5Async;
  private static org.apache.http.impl.client.CloseableHttpClient apache4;
  private static reactor.netty.http.client.HttpClient reactorNetty;

  private FidelityClients() {}

  private static synchronized void init() {
    if (jdk == null) {
      jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      okHttp = new OkHttpClient.Builder().readTimeout(0, TimeUnit.SECONDS).build();
      apache5 = HttpClients.createDefault();
      apache5Async = HttpAsyncClients.createDefault();
      apache5Async.start();
      apache4 = org.apache.http.impl.client.HttpClients.createDefault();
      reactorNetty = reactor.netty.http.client.HttpClient.create();
    }
  }

  /** Streams the body of {@code url} through {@code client}, reporting as it goes. */
  static void bytes(String client, String url, int firstLength, Report report) throws Exception {
    init();
    switch (client) {
      case "urlconnection":
        {
          HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
          int status = connection.getResponseCode();
          report.headers(status, connection.getHeaderField("content-type"), firstLength);
          try (InputStream body =
              status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
            report.read(body);
          }
          return;
        }
      case "jdk":
      case "jdk-async":
        {
          HttpRequest request = HttpRequest.newBuilder(URI.create(url)).build();
          HttpResponse<InputStream> response =
              client.equals("jdk")
                  ? jdk.send(request, HttpResponse.BodyHandlers.ofInputStream())
                  : jdk.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                      .get(WAIT.toSeconds(), TimeUnit.SECONDS);
          report.headers(
              response.statusCode(),
              response.headers().firstValue("content-type").orElse(null),
              firstLength);
          try (InputStream body = response.body()) {
            report.read(body);
          }
          return;
        }
      case "okhttp":
        try (Response response = okHttp.newCall(new Request.Builder().url(url).build()).execute()) {
          report.headers(response.code(), response.header("content-type"), firstLength);
          report.read(response.body().byteStream());
        }
        return;
      case "okhttp-async":
        okHttpAsync(url, firstLength, report).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return;
      case "apache5":
        try (CloseableHttpResponse response = apache5.execute(new HttpGet(url))) {
          Header type = response.getFirstHeader("content-type");
          report.headers(response.getCode(), type == null ? null : type.getValue(), firstLength);
          report.read(response.getEntity().getContent());
        }
        return;
      case "apache5-async":
        apache5Async
            .execute(
                SimpleRequestProducer.create(SimpleRequestBuilder.get(url).build()),
                new StreamingConsumer(firstLength, report),
                null)
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return;
      case "apache4":
        try (org.apache.http.client.methods.CloseableHttpResponse response =
            apache4.execute(new org.apache.http.client.methods.HttpGet(url))) {
          org.apache.http.Header type = response.getFirstHeader("content-type");
          report.headers(
              response.getStatusLine().getStatusCode(),
              type == null ? null : type.getValue(),
              firstLength);
          report.read(response.getEntity().getContent());
        }
        return;
      case "reactor-netty":
        streamReactorNetty(url, firstLength, report);
        return;
      default:
        throw new IllegalArgumentException("unknown client " + client);
    }
  }

  /** The body of {@code url} as text, decoded by {@code client} as it decodes text. */
  static String text(String client, String url) throws Exception {
    init();
    switch (client) {
      case "jdk":
        return jdk.send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
      case "jdk-async":
        return jdk.sendAsync(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString())
            .get(WAIT.toSeconds(), TimeUnit.SECONDS)
            .body();
      case "okhttp":
      case "okhttp-async":
        try (Response response = okHttp.newCall(new Request.Builder().url(url).build()).execute()) {
          return response.body().string();
        }
      case "apache5":
        return apache5.execute(
            new HttpGet(url), response -> EntityUtils.toString(response.getEntity()));
      case "apache5-async":
        {
          SimpleHttpResponse response =
              apache5Async
                  .execute(SimpleRequestBuilder.get(url).build(), null)
                  .get(WAIT.toSeconds(), TimeUnit.SECONDS);
          return response.getBodyText();
        }
      case "apache4":
        try (org.apache.http.client.methods.CloseableHttpResponse response =
            apache4.execute(new org.apache.http.client.methods.HttpGet(url))) {
          return org.apache.http.util.EntityUtils.toString(response.getEntity());
        }
      default:
        {
          // urlconnection and reactor-netty give bytes; the application decodes them.
          ByteArrayOutputStream bytes = new ByteArrayOutputStream();
          String[] type = new String[1];
          Report collect =
              new Report("-") {
                @Override
                void line(String text) {}

                @Override
                void headers(int status, String contentType, int firstLength) {
                  type[0] = contentType;
                }

                @Override
                void body(byte[] body) {
                  bytes.writeBytes(body);
                }
              };
          bytes(client, url, 0, collect);
          return bytes.toString(FidelityApp.charsetOf(type[0]));
        }
    }
  }

  private static CompletableFuture<Void> okHttpAsync(String url, int firstLength, Report report) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Call call = okHttp.newCall(new Request.Builder().url(url).build());
    call.enqueue(
        new Callback() {
          @Override
          public void onFailure(Call failed, java.io.IOException e) {
            done.completeExceptionally(e);
          }

          @Override
          public void onResponse(Call call, Response response) {
            try (Response closing = response) {
              report.headers(closing.code(), closing.header("content-type"), firstLength);
              report.read(closing.body().byteStream());
              done.complete(null);
            } catch (Exception e) {
              done.completeExceptionally(e);
            }
          }
        });
    return done;
  }

  private static void streamReactorNetty(String url, int firstLength, Report report) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    boolean[] firstSeen = {firstLength <= 0};
    reactorNetty
        .get()
        .uri(url)
        .responseConnection(
            (response, connection) -> {
              report.headers(
                  response.status().code(),
                  response.responseHeaders().get("content-type"),
                  firstLength);
              return connection.inbound().receive().asByteArray();
            })
        .doOnNext(
            chunk -> {
              all.writeBytes(chunk);
              if (!firstSeen[0] && all.size() >= firstLength) {
                firstSeen[0] = true;
                report.first(java.util.Arrays.copyOf(all.toByteArray(), firstLength));
              }
            })
        .blockLast(WAIT);
    report.body(all.toByteArray());
  }

  /** Apache's async streaming consumer: the response at {@code start}, then each buffer. */
  private static final class StreamingConsumer extends AbstractBinResponseConsumer<Void> {
    private final int firstLength;
    private final Report report;
    private final ByteArrayOutputStream all = new ByteArrayOutputStream();
    private boolean firstSeen;

    StreamingConsumer(int firstLength, Report report) {
      this.firstLength = firstLength;
      this.report = report;
      this.firstSeen = firstLength <= 0;
    }

    @Override
    protected void start(org.apache.hc.core5.http.HttpResponse response, ContentType type) {
      Header header = response.getFirstHeader("content-type");
      report.headers(response.getCode(), header == null ? null : header.getValue(), firstLength);
    }

    @Override
    protected int capacityIncrement() {
      return 64 * 1024;
    }

    @Override
    protected void data(ByteBuffer src, boolean endOfStream) {
      byte[] chunk = new byte[src.remaining()];
      src.get(chunk);
      all.writeBytes(chunk);
      if (!firstSeen && all.size() >= firstLength) {
        firstSeen = true;
        report.first(java.util.Arrays.copyOf(all.toByteArray(), firstLength));
      }
    }

    @Override
    protected Void buildResult() {
      report.body(all.toByteArray());
      return null;
    }

    @Override
    public void releaseResources() {}
  }
}
