package dev.meshaware.agent.library.undertow;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.propagation.CurrentHeaders;
import dev.meshaware.core.propagation.Propagation;
import io.undertow.server.HttpServerExchange;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Inbound: {@code HttpServerExchange.dispatch(Executor, Runnable)}, which every other {@code
 * dispatch} calls. Inside a handler it only records the task, which Undertow hands over when the
 * handler returns (within the request's scope, see {@link UndertowRootHandlerInstrumentation});
 * called from elsewhere (a callback of another library, a thread of the application's) it hands the
 * task to the executor at once, from a thread that may serve another request or none. The advice
 * makes the exchange's own request current for the call, so the task belongs to the exchange
 * whichever thread dispatched it.
 */
public final class UndertowDispatchInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "undertow-dispatch";
  }

  @Override
  public List<String> typeNames() {
    return List.of("io.undertow.server.HttpServerExchange");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.method(
            "dispatch",
            DispatchAdvice.class,
            "java.util.concurrent.Executor",
            "java.lang.Runnable"));
  }

  @Override
  public List<String> auxiliaryTypes() {
    return UndertowRootHandlerInstrumentation.AUXILIARY;
  }

  /** Makes the exchange's request current while the task is handed over. */
  public static final class DispatchAdvice {
    private DispatchAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static CurrentHeaders.Scope enter(@Advice.This HttpServerExchange exchange) {
      return Propagation.policy() == null ? null : UndertowExchangeRequest.enter(exchange, false);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter CurrentHeaders.Scope scope) {
      Propagation.exitInbound(scope);
    }
  }
}
