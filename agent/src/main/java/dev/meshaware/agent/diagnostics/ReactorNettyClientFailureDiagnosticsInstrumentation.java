package dev.meshaware.agent.diagnostics;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.diagnostics.MeshDiagnostics;
import dev.meshaware.core.diagnostics.OutboundExchange;
import java.util.List;
import net.bytebuddy.asm.Advice;
import reactor.netty.Connection;
import reactor.netty.http.HttpOperations;
import reactor.netty.http.client.HttpClientRequest;

/**
 * Diagnostics for Reactor Netty {@code HttpClient} calls that end without a response. The
 * connection's failures reach the call through {@code HttpClientConnect.HttpObserver
 * .onUncaughtException}; Reactor Netty retries only a request whose headers were not sent yet (a
 * stale pooled connection), so only failures after the request went out are recorded.
 */
public final class ReactorNettyClientFailureDiagnosticsInstrumentation
    implements TypeInstrumentation {

  @Override
  public String name() {
    return "reactor-netty-client-failure-diagnostics";
  }

  @Override
  public List<String> typeNames() {
    return List.of("reactor.netty.http.client.HttpClientConnect$HttpObserver");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.method(
            "onUncaughtException",
            FailureAdvice.class,
            "reactor.netty.Connection",
            "java.lang.Throwable"));
  }

  /** Records a failure of a request that was sent. */
  public static final class FailureAdvice {
    private FailureAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(
        @Advice.Argument(0) Connection connection, @Advice.Argument(1) Throwable failure) {
      if (!(connection instanceof HttpClientRequest)
          || !(connection instanceof HttpOperations)
          || !((HttpOperations<?, ?>) connection).hasSentHeaders()) {
        return;
      }
      OutboundExchange exchange = MeshDiagnostics.failure("reactor-netty-client", failure);
      if (exchange == null) {
        return;
      }
      HttpClientRequest request = (HttpClientRequest) connection;
      exchange.request(
          request.method().name(),
          request.resourceUrl(),
          request.requestHeaders().get("x-request-id"));
      MeshDiagnostics.record(exchange);
    }
  }
}
