package dev.meshaware.examples.quarkus;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** Service A: calls B the three usual Quarkus ways; no line about headers anywhere. */
@Path("/front")
public class FrontendResource {

  @Inject @RestClient BackendClient backend;

  /** On a worker thread, the REST client blocking it. */
  @GET
  @Path("/blocking")
  @Blocking
  public String blocking() {
    return backend.echo("blocking");
  }

  /** On the event loop: one call, then a second one from the first one's answer. */
  @GET
  @Path("/chain")
  public Uni<String> chain(@QueryParam("hold") int hold) {
    return backend
        .echoAsync("hop1", hold)
        .onItem()
        .transformToUni(first -> backend.echoAsync("hop2", 0).map(second -> first + "\n" + second));
  }

  /** A stream of calls, one after the other. */
  @GET
  @Path("/multi")
  public Uni<String> multi() {
    return Multi.createFrom()
        .items("multi1", "multi2", "multi3")
        .onItem()
        .transformToUniAndConcatenate(hop -> backend.echoAsync(hop, 0))
        .collect()
        .asList()
        .map(answers -> String.join("\n", answers));
  }
}
