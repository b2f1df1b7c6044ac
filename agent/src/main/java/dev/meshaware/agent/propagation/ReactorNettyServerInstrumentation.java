package dev.meshaware.agent.propagation;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.diagnostics.RetriedRequests;
import dev.meshaware.core.propagation.CurrentHeaders;
import dev.meshaware.core.propagation.HeaderPolicy;
import dev.meshaware.core.propagation.Propagation;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import net.bytebuddy.asm.Advice;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerState;

/**
 * Inbound: Reactor Netty's HTTP server (Spring WebFlux's default engine). {@code HttpServerHandle}
 * is told {@code REQUEST_RECEIVED} for each request (HTTP/2 and HTTP/3 streams included) and then,
 * on the event loop, calls the application's handler and subscribes to the publisher it returns.
 * The advice makes the request current on the thread for that synchronous stretch only, which
 * covers code that runs straight away (a blocking call inside the handler, work handed to an
 * executor while subscribing). What runs later, on other threads, finds the headers in the
 * subscriber context instead: see {@link ReactorNettyServerContextInstrumentation}. The same point
 * notices a retried POST or PATCH ({@link RetriedRequests}).
 */
public final class ReactorNettyServerInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "reactor-netty-server";
  }

  @Override
  public List<String> typeNames() {
    return List.of("reactor.netty.http.server.HttpServer$HttpServerHandle");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.method(
            "onStateChange",
            OnStateChangeAdvice.class,
            "reactor.netty.Connection",
            "reactor.netty.ConnectionObserver$State"));
  }

  /** Opens the request's scope while the handler is applied and subscribed to. */
  public static final class OnStateChangeAdvice {
    private OnStateChangeAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static CurrentHeaders.Scope enter(
        @Advice.Argument(0) Connection connection,
        @Advice.Argument(1) ConnectionObserver.State state) {
      if (state != HttpServerState.REQUEST_RECEIVED || !(connection instanceof HttpServerRequest)) {
        return null;
      }
      HttpServerRequest request = (HttpServerRequest) connection;
      HttpHeaders headers = request.requestHeaders();
      if (RetriedRequests.isActive() && RetriedRequests.watches(request.method().name())) {
        RetriedRequests.seen(
            request.method().name(),
            request.uri(),
            headers.get(RetriedRequests.ATTEMPT_COUNT),
            headers.get("x-request-id"));
      }
      HeaderPolicy policy = Propagation.policy();
      if (policy == null) {
        return null;
      }
      String[] raw = new String[policy.nameCount()];
      for (int i = 0; i < raw.length; i++) {
        raw[i] = headers.get(policy.name(i));
      }
      return Propagation.enterInbound(raw, connection);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter CurrentHeaders.Scope scope) {
      Propagation.exitInbound(scope);
    }
  }
}
