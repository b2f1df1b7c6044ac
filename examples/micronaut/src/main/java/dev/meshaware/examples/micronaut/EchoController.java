package dev.meshaware.examples.micronaut;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Service B: answers each call with one line naming the trace headers it received, every value of
 * each, so a caller sees exactly what arrived and how often.
 */
@Controller
@Requires(property = "example.role", value = "backend")
public class EchoController {
  /** The headers the line reports, in this order. */
  static final List<String> REPORTED =
      List.of(
          "x-request-id",
          "x-b3-traceid",
          "x-b3-spanid",
          "x-b3-sampled",
          "b3",
          "traceparent",
          "tracestate",
          "end-user");

  private final Rendezvous rendezvous;

  EchoController(Rendezvous rendezvous) {
    this.rendezvous = rendezvous;
  }

  /**
   * {@code hold}: answer only once a second call with the same key arrived, so two requests of the
   * caller are in flight together (the caller's event loop serves both). {@code delay}: answer
   * after that many milliseconds, so the caller's next call has to wait for the connection.
   */
  @Get(uri = "/echo", produces = MediaType.TEXT_PLAIN)
  Mono<String> echo(
      @QueryValue String via,
      @Nullable @QueryValue String hold,
      @Nullable @QueryValue Integer delay,
      HttpHeaders headers) {
    String line = line(via, headers);
    if (hold != null) {
      return rendezvous.await(hold).thenReturn(line);
    }
    return delay == null ? Mono.just(line) : Mono.delay(Duration.ofMillis(delay)).thenReturn(line);
  }

  static String line(String via, HttpHeaders headers) {
    StringBuilder line = new StringBuilder("via=").append(via);
    for (String name : REPORTED) {
      line.append(' ').append(name).append('=').append(headers.getAll(name));
    }
    return line.toString();
  }
}
