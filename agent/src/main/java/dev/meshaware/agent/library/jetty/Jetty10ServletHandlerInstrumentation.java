package dev.meshaware.agent.library.jetty;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.propagation.CurrentHeaders;
import dev.meshaware.core.propagation.HeaderPolicy;
import dev.meshaware.core.propagation.Propagation;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Inbound: Jetty 10 ({@code javax.servlet}) and 11 ({@code jakarta.servlet}). {@code
 * ServletHandler.doHandle} runs every dispatch of a servlet request (the initial one, each
 * asynchronous dispatch, forwards and includes) before the filter chain, so the request's headers
 * are current in the application's filters, not only from {@code HttpServlet.service} on. A nested
 * dispatch of the same request on the same thread opens nothing and counts nothing twice.
 */
final class Jetty10ServletHandlerInstrumentation implements TypeInstrumentation {
  private final String namespace;

  private Jetty10ServletHandlerInstrumentation(String namespace) {
    this.namespace = namespace;
  }

  /** Jetty 10. */
  static Jetty10ServletHandlerInstrumentation javax() {
    return new Jetty10ServletHandlerInstrumentation("javax");
  }

  /** Jetty 11. */
  static Jetty10ServletHandlerInstrumentation jakarta() {
    return new Jetty10ServletHandlerInstrumentation("jakarta");
  }

  @Override
  public String name() {
    return "jetty-servlet-" + namespace;
  }

  @Override
  public List<String> typeNames() {
    return List.of("org.eclipse.jetty.servlet.ServletHandler");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.method(
            "doHandle",
            namespace.equals("javax") ? JavaxAdvice.class : JakartaAdvice.class,
            "java.lang.String",
            "org.eclipse.jetty.server.Request",
            namespace + ".servlet.http.HttpServletRequest",
            namespace + ".servlet.http.HttpServletResponse"));
  }

  /** Jetty 10. */
  public static final class JavaxAdvice {
    private JavaxAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static CurrentHeaders.Scope enter(
        @Advice.Argument(2) javax.servlet.http.HttpServletRequest request) {
      HeaderPolicy policy = Propagation.policy();
      if (policy == null || request == null) {
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

  /** Jetty 11. */
  public static final class JakartaAdvice {
    private JakartaAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static CurrentHeaders.Scope enter(
        @Advice.Argument(2) jakarta.servlet.http.HttpServletRequest request) {
      HeaderPolicy policy = Propagation.policy();
      if (policy == null || request == null) {
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
