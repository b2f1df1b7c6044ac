package dev.meshaware.agent.apps;

import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Reactive pipelines between a Reactor Netty request and a Reactor Netty client call, none of which
 * blocks: the call is subscribed on whatever thread the pipeline has reached by then.
 */
final class ReactiveHops {
  private ReactiveHops() {}

  /** The response body for {@code hop} (each name starts with {@code reactor-}). */
  static Mono<String> run(String hop, String url, String appSpanId) {
    switch (hop) {
      case "reactor-direct":
        return call(url, appSpanId);
      case "reactor-delay":
        return Mono.delay(Duration.ofMillis(20)).flatMap(tick -> call(url, appSpanId));
      case "reactor-publishon":
        return Mono.just(0).publishOn(Schedulers.parallel()).flatMap(any -> call(url, appSpanId));
      case "reactor-subscribeon":
        return Mono.defer(() -> call(url, appSpanId)).subscribeOn(Schedulers.boundedElastic());
      case "reactor-chain":
        // The second call is subscribed on the event loop that delivered the first response,
        // where no thread-local of the request exists: only the subscriber context can help.
        return call(url, appSpanId).flatMap(first -> call(url, appSpanId));
      case "reactor-outside":
        // Subscribed by the main thread, which serves no request: carries nothing.
        Hops.OUTSIDE.add(() -> call(url, appSpanId).subscribe());
        return Mono.just("scheduled");
      default:
        return Mono.error(new IllegalArgumentException("unknown reactive hop " + hop));
    }
  }

  private static Mono<String> call(String url, String appSpanId) {
    return ReactorClients.status(url, appSpanId).map(String::valueOf);
  }
}
