package dev.meshaware.agent.library.undertow;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.propagation.CurrentHeaders;
import dev.meshaware.core.propagation.Propagation;
import io.undertow.server.HttpServerExchange;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Inbound: Undertow runs every handler chain through {@code Connectors.executeRootHandler}: the
 * request's first one on its I/O thread, and each one {@code exchange.dispatch(handler)} moves to a
 * worker. The advice makes the exchange's request current for the whole call, handlers and what
 * Undertow does after them: that is where it hands a dispatched task to its executor, so the task
 * belongs to the request: the pools it goes to are woven for ownership (the application's
 * executors, the JDK's, and the jboss-threads pool behind XNIO's worker), while Undertow's and
 * XNIO's own classes are not, on purpose, so none of their internal queues is ever taken for an
 * application's executor. The thread's previous state comes back on every exit, so an I/O thread
 * serving many requests interleaved holds each one only while it runs that one's handlers.
 */
public final class UndertowRootHandlerInstrumentation implements TypeInstrumentation {
  /**
   * What {@code UndertowExchangeRequest} needs of Undertow. Named here, not there: that class
   * implements an Undertow interface, so the agent's own loader must never load it.
   */
  static final List<String> REQUIRED =
      List.of(
          "io.undertow.server.ExchangeCompletionListener",
          "io.undertow.util.AttachmentKey#create",
          "io.undertow.server.HttpServerExchange#addExchangeCompleteListener",
          "io.undertow.util.AbstractAttachable#putAttachment",
          "io.undertow.util.HeaderMap#getFirst");

  /** Defined in Undertow's class loader, by name. */
  static final List<String> AUXILIARY =
      List.of("dev.meshaware.agent.library.undertow.UndertowExchangeRequest");

  @Override
  public String name() {
    return "undertow";
  }

  @Override
  public List<String> typeNames() {
    return List.of("io.undertow.server.Connectors");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.method(
            "executeRootHandler",
            RootHandlerAdvice.class,
            "io.undertow.server.HttpHandler",
            "io.undertow.server.HttpServerExchange"));
  }

  @Override
  public List<String> auxiliaryTypes() {
    return AUXILIARY;
  }

  /** Opens the exchange's scope; restores the thread's previous state on every exit. */
  public static final class RootHandlerAdvice {
    private RootHandlerAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static CurrentHeaders.Scope enter(@Advice.Argument(1) HttpServerExchange exchange) {
      return Propagation.policy() == null ? null : UndertowExchangeRequest.enter(exchange, true);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter CurrentHeaders.Scope scope) {
      Propagation.exitInbound(scope);
    }
  }
}
