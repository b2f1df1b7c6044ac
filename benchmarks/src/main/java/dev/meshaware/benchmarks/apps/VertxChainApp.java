package dev.meshaware.benchmarks.apps;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;

/**
 * The middle service of the Vert.x chain benchmark: a Vert.x HTTP server whose handler forwards
 * each request downstream through Vert.x's HTTP client, on the event loop, without blocking. Args:
 * downstream port. Prints {@code PORT <n>}; runs until killed.
 */
public final class VertxChainApp {
  private VertxChainApp() {}

  public static void main(String[] args) throws Exception {
    int downstream = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.vertx();
    HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(64));
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(
                request ->
                    client
                        .request(HttpMethod.GET, downstream, "127.0.0.1", "/next")
                        .compose(outbound -> outbound.send())
                        .onComplete(
                            response ->
                                request
                                    .response()
                                    .setStatusCode(
                                        response.succeeded() ? response.result().statusCode() : 502)
                                    .end()));
    int port =
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get().actualPort();
    System.out.println("PORT " + port);
  }
}
