package dev.meshaware.agent.library.jetty;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.propagation.CurrentHeaders;
import dev.meshaware.core.propagation.HeaderPolicy;
import dev.meshaware.core.propagation.Propagation;
import java.util.List;
import net.bytebuddy.asm.Advice;
import org.eclipse.jetty.ee11.servlet.ServletChannel;
import org.eclipse.jetty.ee11.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpFields;

/**
 * Inbound: Jetty 12.1's ee11 servlet container (Servlet 6.1; Spring Boot 4 on Jetty), the same
 * channel as ee10 in its own package. {@code ServletChannel.handle} runs every dispatch of a
 * servlet request, filters first: the initial one (inside {@code Server.handle}, whose scope it
 * nests in) and each asynchronous dispatch ({@code AsyncContext.dispatch}), which Jetty runs on a
 * thread of its own, outside {@code Server.handle}. The servlet request object is the same for
 * every dispatch, so a nested entry of the same request is recognised and opens nothing.
 */
final class Jetty12Ee11ServletChannelInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "jetty12-ee11-servlet";
  }

  @Override
  public List<String> typeNames() {
    return List.of("org.eclipse.jetty.ee11.servlet.ServletChannel");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(AdviceSpec.method("handle", HandleAdvice.class));
  }

  /** Opens the dispatch's scope; restores the thread's previous state on every exit. */
  public static final class HandleAdvice {
    private HandleAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static CurrentHeaders.Scope enter(@Advice.This ServletChannel channel) {
      HeaderPolicy policy = Propagation.policy();
      ServletContextRequest request = policy == null ? null : channel.getServletContextRequest();
      if (request == null) {
        return null;
      }
      HttpFields fields = request.getHeaders();
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
