package dev.meshaware.agent.propagation;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.CurrentHeaders;
import dev.meshaware.core.propagation.HeaderPolicy;
import dev.meshaware.core.propagation.Propagation;
import dev.meshaware.core.propagation.SubscriberContext;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import net.bytebuddy.asm.Advice;
import reactor.netty.http.server.HttpServerRequest;
import reactor.util.context.Context;

/**
 * Inbound, the reactive half: puts the request's headers into the subscriber context of everything
 * its handler subscribes to, so that they travel with the pipeline across {@code delay}, {@code
 * publishOn}, {@code subscribeOn} and the event loops that a thread-local cannot follow.
 *
 * <p>Reactor Netty subscribes to the handler's publisher with the server's per-request {@code
 * HttpServerOperations} as the final subscriber, so the context every operator upstream sees starts
 * with that object's {@code currentContext()}. The advice adds the entry to what it returns;
 * Reactor Netty then stores the context it sees at subscription back into the operations object, so
 * the entry is computed once per request. A request without headers to forward still gets the entry
 * (as "none"), so its pipeline never falls back to whatever the thread it runs on holds.
 *
 * <p>Reactor Netty 1.0 declares no {@code currentContext()} there: the shape check skips this half,
 * and only the synchronous stretch of {@link ReactorNettyServerInstrumentation} applies.
 */
public final class ReactorNettyServerContextInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "reactor-netty-server-context";
  }

  @Override
  public List<String> typeNames() {
    return List.of("reactor.netty.http.server.HttpServerOperations");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(AdviceSpec.method("currentContext", CurrentContextAdvice.class));
  }

  /** Adds the request's headers (or "none") to the context the request's pipeline starts from. */
  public static final class CurrentContextAdvice {
    private CurrentContextAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(
        @Advice.This HttpServerRequest request, @Advice.Return(readOnly = false) Context context) {
      HeaderPolicy policy = Propagation.policy();
      if (policy == null || context == null || context.hasKey(SubscriberContext.KEY)) {
        return;
      }
      CapturedHeaders headers;
      if (Propagation.isCurrent(request)) {
        headers = CurrentHeaders.get();
      } else {
        HttpHeaders received = request.requestHeaders();
        String[] raw = new String[policy.nameCount()];
        for (int i = 0; i < raw.length; i++) {
          raw[i] = received.get(policy.name(i));
        }
        headers = policy.capture(raw);
      }
      context = context.put(SubscriberContext.KEY, SubscriberContext.valueFor(headers));
    }
  }
}
