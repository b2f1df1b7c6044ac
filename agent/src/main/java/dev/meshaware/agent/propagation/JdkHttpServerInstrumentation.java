package dev.meshaware.agent.propagation;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.diagnostics.RetriedRequests;
import dev.meshaware.core.propagation.CurrentHeaders;
import dev.meshaware.core.propagation.HeaderPolicy;
import dev.meshaware.core.propagation.Propagation;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Inbound: the JDK's {@code com.sun.net.httpserver}. Every exchange passes through {@code
 * Filter.Chain.doFilter} (user filters, then system filters, then the handler), so capturing there
 * covers filters and handlers alike; the nested chains of one exchange capture once, and notice a
 * retried POST or PATCH once ({@link RetriedRequests}).
 */
public final class JdkHttpServerInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "jdk-httpserver";
  }

  @Override
  public List<String> announcedBy() {
    return List.of("com.sun.net.httpserver.HttpServer");
  }

  @Override
  public List<String> typeNames() {
    return List.of("com.sun.net.httpserver.Filter$Chain");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.method("doFilter", DoFilterAdvice.class, "com.sun.net.httpserver.HttpExchange"));
  }

  /** Opens the exchange's scope on entry; restores the thread's previous state on every exit. */
  public static final class DoFilterAdvice {
    private DoFilterAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static CurrentHeaders.Scope enter(@Advice.Argument(0) HttpExchange exchange) {
      HeaderPolicy policy = Propagation.policy();
      if (policy == null || Propagation.isCurrent(exchange)) {
        return null;
      }
      Headers headers = exchange.getRequestHeaders();
      if (RetriedRequests.isActive() && RetriedRequests.watches(exchange.getRequestMethod())) {
        RetriedRequests.seen(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getRawPath(),
            headers.getFirst(RetriedRequests.ATTEMPT_COUNT),
            headers.getFirst("x-request-id"));
      }
      String[] raw = new String[policy.nameCount()];
      // Walk what arrived rather than look up every name: Headers copies the name on each lookup.
      for (java.util.Map.Entry<String, java.util.List<String>> header : headers.entrySet()) {
        int index = policy.indexOf(header.getKey());
        if (index >= 0 && !header.getValue().isEmpty()) {
          raw[index] = header.getValue().get(0);
        }
      }
      return Propagation.enterInbound(raw, exchange);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter CurrentHeaders.Scope scope) {
      Propagation.exitInbound(scope);
    }
  }
}
