package dev.meshaware.examples.quarkus;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** Service A's view of service B: plain Quarkus REST client, no header handling of its own. */
@RegisterRestClient(configKey = "backend")
@Path("/back")
public interface BackendClient {

  /** Blocks the calling (worker) thread until B answers. */
  @GET
  @Path("/echo")
  String echo(@QueryParam("hop") String hop);

  /** Non-blocking: the answer arrives on an event loop. */
  @GET
  @Path("/echo")
  Uni<String> echoAsync(@QueryParam("hop") String hop, @QueryParam("hold") int hold);
}
