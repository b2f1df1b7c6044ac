package dev.meshaware.agent.propagation;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.CurrentHeaders;
import dev.meshaware.core.propagation.SubscriberContext;
import java.util.List;
import net.bytebuddy.asm.Advice;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * Outbound, first half: Reactor Netty's {@code HttpClient} used from code that serves a request on
 * a thread (a servlet, a task on an executor) rather than from a reactive server's pipeline, in a
 * pipeline whose context has no entry yet: {@code subscribe()}, {@code toFuture()}, or a {@code
 * block()} that {@link ReactorBlockingInstrumentation} could not reach. Every request and response
 * call subscribes to {@code MonoHttpConnect}, on the caller's thread; the request itself goes out
 * later on an event loop, where that thread's state is gone. So at subscription, when the
 * subscriber context carries no entry, the advice subscribes the caller through {@code
 * contextWrite} with the thread's headers and skips the original body (the re-subscription enters
 * it again, now with the entry). Retries and redirects subscribe inside, so they keep the entry.
 * Without a current request nothing changes.
 */
public final class ReactorNettyClientSubscribeInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "reactor-netty-client-subscribe";
  }

  @Override
  public List<String> typeNames() {
    return List.of("reactor.netty.http.client.HttpClientConnect$MonoHttpConnect");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.method("subscribe", SubscribeAdvice.class, "reactor.core.CoreSubscriber"));
  }

  /** Re-subscribes with the thread's headers in the context; true skips the original body. */
  public static final class SubscribeAdvice {
    private SubscribeAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    @SuppressWarnings({"rawtypes", "unchecked"})
    public static boolean enter(
        @Advice.This Mono connect, @Advice.Argument(0) CoreSubscriber actual) {
      if (actual.currentContext().hasKey(SubscriberContext.KEY)) {
        return false;
      }
      CapturedHeaders headers = CurrentHeaders.get();
      if (headers == null) {
        return false;
      }
      // Mono.subscribe reports failures to the subscriber and throws only JVM-fatal errors, so
      // once it is called the subscriber is taken care of and the original body must not run.
      connect.contextWrite(Context.of(SubscriberContext.KEY, headers)).subscribe(actual);
      return true;
    }
  }
}
