package dev.meshaware.agent.library.vertx;

import dev.meshaware.agent.testing.CallingService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Calls out through Vert.x's {@code HttpClient} ({@code httpclient}) and {@code WebClient} ({@code
 * webclient}) as an application that reads the answer does, with the API Vert.x 4.5 and 5 share;
 * see {@link CallingService}.
 */
public final class VertxCallingApp {
  private static HttpClient client;
  private static WebClient webClient;

  private VertxCallingApp() {}

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    // Through reflection: 5 returns its HttpClientAgent here, 4.5 an HttpClient.
    client = (HttpClient) Vertx.class.getMethod("createHttpClient").invoke(vertx);
    webClient = WebClient.create(vertx);
    CallingService.serve(
        (name, url) -> {
          try {
            return call(name, URI.create(url))
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
          } catch (ExecutionException e) {
            return "error " + e.getCause();
          }
        });
  }

  private static Future<String> call(String name, URI url) {
    if (name.equals("webclient")) {
      return webClient
          .get(url.getPort(), url.getHost(), url.getRawPath())
          .send()
          .map(r -> r.statusCode() + " " + (r.body() == null ? "" : r.bodyAsString()));
    }
    return client
        .request(HttpMethod.GET, url.getPort(), url.getHost(), url.getRawPath())
        .compose(
            request -> {
              // The body handler is in place before the request goes out: Vert.x before 5.1.6
              // drops the end of a response whose body() is asked for after it ended (vert.x#6038).
              Future<String> answer =
                  request
                      .response()
                      .compose(r -> r.body().map(body -> r.statusCode() + " " + body));
              request.end();
              return answer;
            });
  }
}
