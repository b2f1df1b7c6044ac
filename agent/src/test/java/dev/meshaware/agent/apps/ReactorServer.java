package dev.meshaware.agent.apps;

import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Inbound through Reactor Netty's HTTP server. Reactive hops ({@code hop=reactor-...}) run as a
 * non-blocking pipeline; everything else runs {@link ServiceApp#handle} on the bounded-elastic
 * scheduler, the place a reactive application gives blocking code.
 */
final class ReactorServer {
  private ReactorServer() {}

  static int start() {
    DisposableServer server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .handle((request, response) -> response.sendString(respond(request.uri())))
            .bindNow();
    return server.port();
  }

  private static Mono<String> respond(String uri) {
    int question = uri.indexOf('?');
    String query = question < 0 ? null : uri.substring(question + 1);
    Map<String, String> params = ServiceApp.parse(query);
    String hop = params.getOrDefault("hop", "direct");
    if (hop.startsWith("reactor-")) {
      return ReactiveHops.run(hop, ServiceApp.downstreamUrl(params), params.get("appset"));
    }
    return Mono.fromCallable(() -> ServiceApp.handle(query))
        .subscribeOn(Schedulers.boundedElastic());
  }
}
