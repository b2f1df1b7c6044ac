package dev.meshaware.examples.micronaut;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.client.annotation.Client;
import reactor.core.publisher.Mono;

/** Service A's declarative client of service B ({@code micronaut.http.services.backend.url}). */
@Client(id = "backend")
@Consumes(MediaType.TEXT_PLAIN)
public interface BackendClient {
  @Get("/echo{?via,hold}")
  String echo(String via, @Nullable String hold);

  @Get("/echo{?via,hold}")
  Mono<String> echoReactive(String via, @Nullable String hold);

  /** The application names the end user itself: its value is the one B must see. */
  @Get("/echo?via=as-user")
  String echoAs(@Header("end-user") String endUser);
}
