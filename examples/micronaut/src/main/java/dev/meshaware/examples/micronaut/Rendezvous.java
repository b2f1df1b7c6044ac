package dev.meshaware.examples.micronaut;

import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Pairs calls by key without blocking an event loop: the first call with a key waits until the
 * second arrives (or five seconds pass), then both go on.
 */
@Singleton
public class Rendezvous {
  private final Map<String, Sinks.Empty<Void>> waiting = new ConcurrentHashMap<>();

  Mono<Void> await(String key) {
    Sinks.Empty<Void> mine = Sinks.empty();
    Sinks.Empty<Void> first = waiting.putIfAbsent(key, mine);
    if (first == null) {
      return mine.asMono().timeout(Duration.ofSeconds(5), Mono.empty());
    }
    waiting.remove(key);
    first.tryEmitEmpty();
    return Mono.empty();
  }
}
