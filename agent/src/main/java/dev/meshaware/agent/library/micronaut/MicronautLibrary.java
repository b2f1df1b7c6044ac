package dev.meshaware.agent.library.micronaut;

import dev.meshaware.agent.instrument.Library;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import java.util.List;

/**
 * Micronaut 4 HTTP server and client. Both run on Netty's HTTP codecs, so the Netty library already
 * captures inbound requests, adds the headers to each call the client writes and runs a call's
 * response callbacks as the request that wrote it. What Netty cannot see is the client's own
 * connection pool: a call waits there for a connection and is written by whoever hands it one (a
 * new connection's set-up, another call's release). That hand-over runs here as the call's own
 * request.
 */
public final class MicronautLibrary implements Library {

  @Override
  public String name() {
    return "micronaut";
  }

  @Override
  public String covers() {
    return "Micronaut 4.10 HTTP client's connection pool (server and client otherwise through Netty)";
  }

  @Override
  public List<TypeInstrumentation> threadHops() {
    return List.of(
        new MicronautPendingRequestInstrumentation(
            "io.micronaut.http.client.netty.Pool49$PendingRequest",
            "io.micronaut.http.client.netty.Pool49"),
        new MicronautPendingRequestInstrumentation(
            "io.micronaut.http.client.netty.Pool40$PendingRequest",
            "io.micronaut.http.client.netty.Pool40"));
  }
}
