package dev.meshaware.agent.library;

import dev.meshaware.agent.bind.KeepAliveInstrumentations;
import dev.meshaware.agent.diagnostics.ReactorNettyClientDiagnosticsInstrumentation;
import dev.meshaware.agent.diagnostics.ReactorNettyClientFailureDiagnosticsInstrumentation;
import dev.meshaware.agent.instrument.Library;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.agent.propagation.ReactorBlockingInstrumentation;
import dev.meshaware.agent.propagation.ReactorNettyClientRequestInstrumentation;
import dev.meshaware.agent.propagation.ReactorNettyClientSubscribeInstrumentation;
import dev.meshaware.agent.propagation.ReactorNettyServerContextInstrumentation;
import dev.meshaware.agent.propagation.ReactorNettyServerInstrumentation;
import java.util.List;

/** Reactor Netty 1.x HTTP server and client (Spring WebFlux). */
public final class ReactorNettyLibrary implements Library {
  @Override
  public String name() {
    return "reactor-netty";
  }

  @Override
  public String covers() {
    return "Reactor Netty 1.x HTTP server and client (Spring WebFlux)";
  }

  @Override
  public List<TypeInstrumentation> inbound() {
    return List.of(
        new ReactorNettyServerInstrumentation(),
        new ReactorNettyServerContextInstrumentation(),
        KeepAliveInstrumentations.reactorNetty());
  }

  @Override
  public List<TypeInstrumentation> outbound() {
    return List.of(
        new ReactorNettyClientSubscribeInstrumentation(),
        new ReactorNettyClientRequestInstrumentation());
  }

  @Override
  public List<TypeInstrumentation> threadHops() {
    return List.of(new ReactorBlockingInstrumentation());
  }

  @Override
  public List<TypeInstrumentation> diagnostics() {
    return List.of(
        new ReactorNettyClientDiagnosticsInstrumentation(),
        new ReactorNettyClientFailureDiagnosticsInstrumentation());
  }
}
