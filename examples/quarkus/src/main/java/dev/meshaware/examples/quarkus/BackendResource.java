package dev.meshaware.examples.quarkus;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.ArrayList;
import java.util.List;

/**
 * Service B: answers with the trace headers it received, every value of each, so a caller sees
 * exactly what arrived. {@code hold=n} keeps the answer back until n held calls are waiting, which
 * lets a test interleave two requests at A.
 */
@Path("/back")
public class BackendResource {
  static final List<String> NAMES =
      List.of(
          "x-request-id",
          "x-b3-traceid",
          "x-b3-spanid",
          "x-b3-parentspanid",
          "x-b3-sampled",
          "x-b3-flags",
          "b3",
          "traceparent",
          "tracestate",
          "end-user");

  private static final List<UniEmitter<? super String>> HELD = new ArrayList<>();
  private static final List<String> HELD_ANSWERS = new ArrayList<>();

  @GET
  @Path("/echo")
  public Uni<String> echo(
      @QueryParam("hop") String hop, @QueryParam("hold") int hold, @Context HttpHeaders headers) {
    String answer = describe(hop, headers);
    if (hold <= 0) {
      return Uni.createFrom().item(answer);
    }
    return Uni.createFrom().emitter(emitter -> hold(hold, emitter, answer));
  }

  static String describe(String hop, HttpHeaders headers) {
    StringBuilder line = new StringBuilder(hop == null ? "?" : hop);
    for (String name : NAMES) {
      List<String> values = headers.getRequestHeader(name);
      if (values != null && !values.isEmpty()) {
        line.append(' ').append(name).append('=').append(values);
      }
    }
    return line.toString();
  }

  private static void hold(int count, UniEmitter<? super String> emitter, String answer) {
    List<UniEmitter<? super String>> release;
    List<String> answers;
    synchronized (HELD) {
      HELD.add(emitter);
      HELD_ANSWERS.add(answer);
      if (HELD.size() < count) {
        return;
      }
      release = new ArrayList<>(HELD);
      answers = new ArrayList<>(HELD_ANSWERS);
      HELD.clear();
      HELD_ANSWERS.clear();
    }
    // Last in, first out: the later request's answer reaches A first.
    for (int i = release.size() - 1; i >= 0; i--) {
      release.get(i).complete(answers.get(i));
    }
  }
}
