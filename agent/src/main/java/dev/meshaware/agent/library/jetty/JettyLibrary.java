package dev.meshaware.agent.library.jetty;

import dev.meshaware.agent.bind.KeepAliveInstrumentations;
import dev.meshaware.agent.instrument.Library;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import java.util.List;

/**
 * Jetty 10, 11 and 12: the server (Jetty 12's core {@code Handler}s and the servlet containers,
 * filters included) and {@code HttpClient} (Spring's {@code WebClient} on Jetty's connector too).
 * The two generations name their classes differently (Jetty 12 moved the client's internals to
 * {@code org.eclipse.jetty.client.transport} and the servlet container to {@code ee10}), so each
 * has instrumentations of its own; only those of the Jetty the application has ever match.
 */
public final class JettyLibrary implements Library {

  @Override
  public String name() {
    return "jetty";
  }

  @Override
  public String covers() {
    return "Jetty 10, 11, 12: core Handler, servlet containers (filters included), HttpClient";
  }

  @Override
  public List<TypeInstrumentation> inbound() {
    return List.of(
        new Jetty12ServerInstrumentation(),
        new Jetty12ServletChannelInstrumentation(),
        new Jetty12Ee11ServletChannelInstrumentation(),
        KeepAliveInstrumentations.jetty(),
        Jetty10ServletHandlerInstrumentation.javax(),
        Jetty10ServletHandlerInstrumentation.jakarta());
  }

  @Override
  public List<TypeInstrumentation> outbound() {
    return List.of(
        new Jetty12ClientInstrumentations.Send(),
        new Jetty12ClientInstrumentations.Normalize(),
        new Jetty10ClientInstrumentations.Send(),
        new Jetty10ClientInstrumentations.Normalize());
  }

  @Override
  public List<TypeInstrumentation> threadHops() {
    return List.of(
        new Jetty12ClientInstrumentations.Listeners(),
        new Jetty10ClientInstrumentations.Listeners());
  }

  @Override
  public List<TypeInstrumentation> diagnostics() {
    return List.of(new Jetty12ClientDiagnostics(), new Jetty10ClientDiagnostics());
  }
}
