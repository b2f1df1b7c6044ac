package dev.meshaware.agent.library.quarkus;

import dev.meshaware.agent.instrument.Library;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import java.util.List;

/**
 * Quarkus 3 in JVM mode. Its HTTP server and REST client are Vert.x's (library {@code vertx}), its
 * event loops Netty's; what Quarkus adds is its worker pool, jboss-threads' {@code
 * EnhancedQueueExecutor}, where {@code @Blocking} resource methods (and every other blocking
 * handler) run, and the REST client's switch back to the Vert.x context a call was made on.
 */
public final class QuarkusLibrary implements Library {

  @Override
  public String name() {
    return "quarkus";
  }

  @Override
  public String covers() {
    return "Quarkus 3 worker pool (@Blocking endpoints) and REST client context switches";
  }

  @Override
  public List<TypeInstrumentation> inbound() {
    return List.of();
  }

  @Override
  public List<TypeInstrumentation> outbound() {
    return List.of();
  }

  @Override
  public List<TypeInstrumentation> threadHops() {
    return List.of(
        new EnhancedQueueTaskInstrumentation(), new RestClientContextSwitchInstrumentation());
  }
}
