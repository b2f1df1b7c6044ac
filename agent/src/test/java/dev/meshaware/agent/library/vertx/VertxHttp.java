package dev.meshaware.agent.library.vertx;

import dev.meshaware.agent.testing.TestHttp;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Vert.x's server and clients for the shared tests: an HTTP server whose handler does its blocking
 * work in {@code executeBlocking} (as a Vert.x application must), Vert.x's {@code HttpClient} and
 * Vert.x Web's {@code WebClient}.
 */
public final class VertxHttp implements TestHttp.Library {
  private static Vertx vertx;
  private static HttpClient client;
  private static WebClient webClient;

  private static synchronized Vertx vertx() {
    if (vertx == null) {
      vertx = Vertx.vertx();
      client = vertx.createHttpClient();
      webClient = WebClient.create(vertx);
    }
    return vertx;
  }

  @Override
  public Map<String, TestHttp.Server> servers() {
    return Map.of("vertx", VertxHttp::serve);
  }

  @Override
  public Map<String, TestHttp.Client> clients() {
    Map<String, TestHttp.Client> clients = new LinkedHashMap<>();
    clients.put("vertx", VertxHttp::get);
    clients.put("vertx-web", VertxHttp::webGet);
    return clients;
  }

  private static int serve(Function<String, String> handler) throws Exception {
    Vertx vertx = vertx();
    return vertx
        .createHttpServer()
        .requestHandler(
            request ->
                vertx
                    .executeBlocking(() -> handler.apply(request.query()))
                    .onComplete(
                        answer ->
                            request
                                .response()
                                .end(
                                    answer.succeeded()
                                        ? answer.result()
                                        : "error " + answer.cause())))
        .listen(0, "127.0.0.1")
        .toCompletionStage()
        .toCompletableFuture()
        .get(20, TimeUnit.SECONDS)
        .actualPort();
  }

  private static int get(String url, String appSet) throws Exception {
    vertx();
    return client
        .request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url))
        .compose(
            (HttpClientRequest request) -> {
              if (appSet != null) {
                request.putHeader(TestHttp.APP_SET_HEADER, appSet);
              }
              return request.send();
            })
        .map(response -> response.statusCode())
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  private static int webGet(String url, String appSet) throws Exception {
    vertx();
    HttpRequest<io.vertx.core.buffer.Buffer> request = webClient.getAbs(url);
    if (appSet != null) {
      request.putHeader(TestHttp.APP_SET_HEADER, appSet);
    }
    return request
        .send()
        .map(response -> response.statusCode())
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }
}
