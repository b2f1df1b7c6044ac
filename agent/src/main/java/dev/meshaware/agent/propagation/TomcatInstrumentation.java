package dev.meshaware.agent.propagation;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.diagnostics.RetriedRequests;
import dev.meshaware.core.propagation.CurrentHeaders;
import dev.meshaware.core.propagation.HeaderPolicy;
import dev.meshaware.core.propagation.Propagation;
import java.util.List;
import net.bytebuddy.asm.Advice;
import org.apache.coyote.Request;
import org.apache.tomcat.util.buf.MessageBytes;

/**
 * Inbound: Tomcat 9, 10 and 11. {@code CoyoteAdapter} hands every request to the container (valves,
 * filters, servlets) and every async dispatch back to it; its coyote {@code Request} is the same
 * class in the {@code javax} and {@code jakarta} generations, so one advice serves all three.
 */
public final class TomcatInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "tomcat";
  }

  @Override
  public List<String> typeNames() {
    return List.of("org.apache.catalina.connector.CoyoteAdapter");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.method(
            "service",
            ServiceAdvice.class,
            "org.apache.coyote.Request",
            "org.apache.coyote.Response"),
        AdviceSpec.method(
            "asyncDispatch",
            ServiceAdvice.class,
            "org.apache.coyote.Request",
            "org.apache.coyote.Response",
            "org.apache.tomcat.util.net.SocketEvent"));
  }

  /** Opens the request's scope; restores the worker thread's previous state on every exit. */
  public static final class ServiceAdvice {
    private ServiceAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static CurrentHeaders.Scope enter(
        @Advice.Argument(0) Request request, @Advice.Origin("#m") String called) {
      if (RetriedRequests.isActive() && "service".equals(called)) {
        String method = request.method().toString();
        if (RetriedRequests.watches(method)) {
          // The URI's bytes are read without caching a string in the MessageBytes: Tomcat may
          // still set their charset before the application asks for the URI.
          MessageBytes uri = request.requestURI();
          RetriedRequests.seen(
              method,
              uri.getType() == MessageBytes.T_BYTES
                  ? uri.getByteChunk().toString()
                  : uri.toString(),
              request.getHeader(RetriedRequests.ATTEMPT_COUNT),
              request.getHeader("x-request-id"));
        }
      }
      HeaderPolicy policy = Propagation.policy();
      if (policy == null) {
        return null;
      }
      String[] raw = new String[policy.nameCount()];
      for (int i = 0; i < raw.length; i++) {
        raw[i] = request.getHeader(policy.name(i));
      }
      return Propagation.enterInbound(raw, request);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter CurrentHeaders.Scope scope) {
      Propagation.exitInbound(scope);
    }
  }
}
