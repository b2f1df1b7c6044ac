package dev.meshaware.agent.propagation;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.CurrentHeaders;
import dev.meshaware.core.propagation.SubscriberContext;
import java.util.List;
import net.bytebuddy.asm.Advice;
import reactor.util.context.Context;

/**
 * Thread to pipeline: Reactor's {@code block()}, {@code blockFirst()} and {@code blockLast()}
 * called by code that serves a request on a thread (a servlet, a task on an executor). The pipeline
 * they wait for runs on other threads, event loops among them, where the request's thread-local is
 * not; a second client call chained after a first one's response would go out without headers. Each
 * of them creates a {@code BlockingSingleSubscriber} on the waiting thread with the context the
 * whole pipeline will see, so the advice adds the thread's headers to that context before the
 * subscriber is built. A context that already carries an entry is left as it is; without a current
 * request nothing changes.
 *
 * <p>Reactor Core 3.8 passes the context to that constructor; a version whose constructor takes
 * none is skipped by the shape check, and then only client calls subscribed on the waiting thread
 * itself carry headers.
 */
public final class ReactorBlockingInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "reactor-block";
  }

  @Override
  public List<String> typeNames() {
    return List.of("reactor.core.publisher.BlockingSingleSubscriber");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.constructor(BlockingSubscriberAdvice.class, "reactor.util.context.Context"));
  }

  /** Replaces the context argument with one carrying the waiting thread's headers. */
  public static final class BlockingSubscriberAdvice {
    private BlockingSubscriberAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(value = 0, readOnly = false) Context context) {
      if (context == null || context.hasKey(SubscriberContext.KEY)) {
        return;
      }
      CapturedHeaders headers = CurrentHeaders.get();
      if (headers != null) {
        context = context.put(SubscriberContext.KEY, headers);
      }
    }
  }
}
