package dev.meshaware.agent.apps;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Reactor Netty's {@code HttpClient}, created once like an application's. It shares Reactor Netty's
 * default event loops with the Reactor Netty server, so requests of different inbound calls are
 * sent from the same threads: a header that stuck to a thread would show up on the wrong call.
 */
final class ReactorClients {
  private static final HttpClient CLIENT = HttpClient.create();
  private static final HttpClient FOLLOWING = CLIENT.followRedirect(true);

  private ReactorClients() {}

  /** A GET of {@code url} that emits the status; the application sets its own span id if given. */
  static Mono<Integer> status(String url, String appSpanId) {
    return status(CLIENT, url, appSpanId);
  }

  /** {@link #block} with a client that follows redirects. */
  static int blockFollowing(String url, String appSpanId) {
    return status(FOLLOWING, url, appSpanId).block(Duration.ofSeconds(10));
  }

  private static Mono<Integer> status(HttpClient base, String url, String appSpanId) {
    HttpClient client =
        appSpanId == null
            ? base
            : base.headers(headers -> headers.set(Clients.APP_SET_HEADER, appSpanId));
    return client
        .get()
        .uri(url)
        .responseSingle(
            (response, body) ->
                body.asString().defaultIfEmpty("").map(ignored -> response.status().code()));
  }

  /** The same call made by blocking code: subscribed on the calling thread, awaited there. */
  static int block(String url, String appSpanId) {
    return status(url, appSpanId).block(Duration.ofSeconds(10));
  }

  /** The same call handed over as a future: subscribed on the calling thread, nothing blocks. */
  static int future(String url, String appSpanId) throws Exception {
    return status(url, appSpanId).toFuture().get(10, TimeUnit.SECONDS);
  }

  /**
   * Two calls in one pipeline, awaited by blocking code. The second is subscribed on the event loop
   * that delivered the first response, far from the thread that serves the request.
   */
  static int blockOnChain(String url, String appSpanId) {
    return status(url, appSpanId)
        .flatMap(first -> status(url, appSpanId))
        .block(Duration.ofSeconds(10));
  }
}
