package dev.meshaware.agent.library.undertow;

import dev.meshaware.agent.bind.KeepAliveInstrumentations;
import dev.meshaware.agent.instrument.Library;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import java.util.List;

/**
 * Undertow's own server API ({@code HttpHandler}, no servlet needed): a request's headers are
 * current while its handlers run, on the I/O thread and on whatever thread {@code
 * exchange.dispatch(...)} moves it to, and it counts for the shutdown drain from its start to the
 * end of its exchange.
 */
public final class UndertowLibrary implements Library {

  @Override
  public String name() {
    return "undertow";
  }

  @Override
  public String covers() {
    return "Undertow 2.3 and 2.4 HttpHandler, exchange.dispatch";
  }

  @Override
  public List<TypeInstrumentation> inbound() {
    return List.of(
        new UndertowRootHandlerInstrumentation(),
        new UndertowDispatchInstrumentation(),
        KeepAliveInstrumentations.undertow());
  }
}
