package dev.meshaware.agent.library.jetty;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.diagnostics.RetriedRequests;
import dev.meshaware.core.propagation.CurrentHeaders;
import dev.meshaware.core.propagation.HeaderPolicy;
import dev.meshaware.core.propagation.Propagation;
import java.util.List;
import net.bytebuddy.asm.Advice;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;

/**
 * Inbound: Jetty 12. {@code Server.handle} receives every request before any handler: core {@code
 * Handler}s, {@code Handler.Wrapper} chains and the servlet containers (ee10: filters, then the
 * servlet) all run inside it, so the request's headers are current from the first handler on. The
 * scope ends when {@code handle} returns; a handler that completes its {@code Callback} later does
 * that work on a thread of its own, which carries the request's headers when the application handed
 * it over through an executor. A retried POST or PATCH is noticed here too ({@link
 * RetriedRequests}).
 */
final class Jetty12ServerInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "jetty12-server";
  }

  @Override
  public List<String> typeNames() {
    return List.of("org.eclipse.jetty.server.Server");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.method(
            "handle",
            HandleAdvice.class,
            "org.eclipse.jetty.server.Request",
            "org.eclipse.jetty.server.Response",
            "org.eclipse.jetty.util.Callback"));
  }

  /** Opens the request's scope; restores the thread's previous state on every exit. */
  public static final class HandleAdvice {
    private HandleAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static CurrentHeaders.Scope enter(@Advice.Argument(0) Request request) {
      HeaderPolicy policy = Propagation.policy();
      if (policy == null || request == null) {
        return null;
      }
      HttpFields fields = request.getHeaders();
      if (RetriedRequests.isActive() && RetriedRequests.watches(request.getMethod())) {
        RetriedRequests.seen(
            request.getMethod(),
            request.getHttpURI().getPath(),
            fields.get(RetriedRequests.ATTEMPT_COUNT),
            fields.get("x-request-id"));
      }
      String[] raw = new String[policy.nameCount()];
      for (int i = 0; i < raw.length; i++) {
        raw[i] = fields.get(policy.name(i));
      }
      return Propagation.enterInbound(raw, request);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter CurrentHeaders.Scope scope) {
      Propagation.exitInbound(scope);
    }
  }
}
