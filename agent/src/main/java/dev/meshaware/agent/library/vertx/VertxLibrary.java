package dev.meshaware.agent.library.vertx;

import dev.meshaware.agent.instrument.Library;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import java.util.List;

/**
 * Vert.x 4.5, 5.0 and 5.1: its HTTP/1 server (with or without Vert.x Web's {@code Router}), its
 * {@code HttpClient} (and so {@code WebClient}), and the places where its work changes hands:
 * future listeners and worker tasks ({@code executeBlocking}, worker verticles, worker contexts).
 * Event loops are Netty's, whose executors the ownership model already covers; timers carry their
 * owner. The client's failed calls are explained here, not by Netty's client diagnostics.
 */
public final class VertxLibrary implements Library {

  @Override
  public String name() {
    return "vertx";
  }

  @Override
  public String covers() {
    return "Vert.x 4.5, 5.0 and 5.1 HTTP server and client, futures and worker tasks";
  }

  @Override
  public List<TypeInstrumentation> inbound() {
    return List.of(new VertxServerInstrumentation());
  }

  @Override
  public List<TypeInstrumentation> outbound() {
    return List.of(new VertxClientInstrumentation());
  }

  @Override
  public List<TypeInstrumentation> threadHops() {
    return List.of(
        new VertxFutureInstrumentation.Registration(),
        new VertxFutureInstrumentation.Emission(),
        new VertxWorkerTaskInstrumentation(),
        new VertxTimerInstrumentation());
  }

  @Override
  public List<TypeInstrumentation> diagnostics() {
    return List.of(new VertxClientDiagnostics());
  }
}
