package dev.meshaware.agent.library.quarkus;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.propagation.OwnedWork;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Across callbacks: the Quarkus REST client moves each call back to the Vert.x context it was made
 * on ({@code ClientSwitchToRequestContextRestHandler}), before the request is sent and again when
 * the answer arrives, through an {@code Executor} of its own that decorates the call's task
 * (SmallRye context propagation) and hands the decorated task to {@code runOnContext}. The executor
 * is recognised as one, so the task it runs must have an owner, but the decorated task is made
 * inside it, after the application's task was registered: it had none, and so the request went out,
 * and the answer came back, with no headers. The decorated task belongs to whoever hands the call
 * over, the same as the task it wraps.
 */
public final class RestClientContextSwitchInstrumentation implements TypeInstrumentation {
  private static final String SWITCH =
      "org.jboss.resteasy.reactive.client.handlers.ClientSwitchToRequestContextRestHandler";

  @Override
  public String name() {
    return "quarkus-rest-client-context-switch";
  }

  @Override
  public List<String> typeNames() {
    return List.of(SWITCH + "$1$1");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(AdviceSpec.constructor(MadeAdvice.class, SWITCH + "$1", "java.lang.Runnable"));
  }

  /** The current request (or none) owns the decorated task handed to the context. */
  public static final class MadeAdvice {
    private MadeAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(1) Runnable decorated) {
      OwnedWork.submitted(decorated);
    }
  }
}
