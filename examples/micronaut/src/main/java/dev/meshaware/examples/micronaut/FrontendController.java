package dev.meshaware.examples.micronaut;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.uri.UriBuilder;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import reactor.core.publisher.Mono;

/** Service A: each endpoint calls service B one way and answers with what B reported. */
@Controller
@Requires(property = "example.role", value = "frontend")
public class FrontendController {
  private final BackendClient backend;
  private final HttpClient client;
  private final HttpClient oneConnection;

  FrontendController(
      BackendClient backend,
      @Client(id = "backend") HttpClient client,
      @Client(id = "backend-one-connection") HttpClient oneConnection) {
    this.backend = backend;
    this.client = client;
    this.oneConnection = oneConnection;
  }

  /** The declarative client, blocking, on Micronaut's blocking executor. */
  @Get(uri = "/declarative", produces = MediaType.TEXT_PLAIN)
  @ExecuteOn(TaskExecutors.BLOCKING)
  String declarative(@Nullable @QueryValue String hold) {
    return backend.echo("declarative", hold);
  }

  /** The low-level client, subscribed on the event loop that serves the request. */
  @Get(uri = "/low-level", produces = MediaType.TEXT_PLAIN)
  Mono<String> lowLevel(@Nullable @QueryValue String hold) {
    return Mono.from(client.retrieve(echo("low-level", hold), String.class));
  }

  /** A reactive chain: the second call starts from the first call's response. */
  @Get(uri = "/chain", produces = MediaType.TEXT_PLAIN)
  Mono<String> chain(@Nullable @QueryValue String hold) {
    return Mono.from(client.retrieve(echo("chain-first", hold), String.class))
        .flatMap(
            first ->
                backend.echoReactive("chain-second", null).map(second -> first + "\n" + second));
  }

  /**
   * A client with one connection: a call made while the other is answered waits in the client's
   * pool and is sent when the connection comes back.
   */
  @Get(uri = "/queued", produces = MediaType.TEXT_PLAIN)
  Mono<String> queued() {
    return Mono.from(
        oneConnection.retrieve(
            HttpRequest.GET("/echo?via=queued&delay=300").accept(MediaType.TEXT_PLAIN_TYPE),
            String.class));
  }

  /** The application sets {@code end-user} on its call itself. */
  @Get(uri = "/as-user", produces = MediaType.TEXT_PLAIN)
  @ExecuteOn(TaskExecutors.BLOCKING)
  String asUser() {
    return backend.echoAs("app-user");
  }

  private static HttpRequest<?> echo(String via, String hold) {
    UriBuilder uri = UriBuilder.of("/echo").queryParam("via", via);
    if (hold != null) {
      uri.queryParam("hold", hold);
    }
    return HttpRequest.GET(uri.build()).accept(MediaType.TEXT_PLAIN_TYPE);
  }
}
