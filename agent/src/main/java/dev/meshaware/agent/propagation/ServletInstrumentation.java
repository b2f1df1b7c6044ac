package dev.meshaware.agent.propagation;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.propagation.CurrentHeaders;
import dev.meshaware.core.propagation.HeaderPolicy;
import dev.meshaware.core.propagation.Propagation;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Inbound: any servlet container (Jetty, Undertow...), through {@code HttpServlet.service}, the
 * method every HTTP servlet, Spring's {@code DispatcherServlet} included, runs for each request.
 * Both {@code javax.servlet} and {@code jakarta.servlet}: the advice reads headers by name through
 * the interface it is inlined against. Where a container-level instrumentation (Tomcat) already
 * opened the request's scope, this one does nothing.
 */
public final class ServletInstrumentation implements TypeInstrumentation {
  private final String namespace;

  private ServletInstrumentation(String namespace) {
    this.namespace = namespace;
  }

  /** The javax and the jakarta generation. */
  public static List<TypeInstrumentation> both() {
    return List.of(new ServletInstrumentation("javax"), new ServletInstrumentation("jakarta"));
  }

  @Override
  public String name() {
    return namespace + "-servlet";
  }

  @Override
  public List<String> typeNames() {
    return List.of(namespace + ".servlet.http.HttpServlet");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.method(
            "service",
            namespace.equals("javax") ? JavaxAdvice.class : JakartaAdvice.class,
            namespace + ".servlet.ServletRequest",
            namespace + ".servlet.ServletResponse"));
  }

  /** javax.servlet. */
  public static final class JavaxAdvice {
    private JavaxAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static CurrentHeaders.Scope enter(
        @Advice.Argument(0) javax.servlet.ServletRequest request) {
      HeaderPolicy policy = Propagation.policy();
      if (policy == null
          || CurrentHeaders.get() != null
          || !(request instanceof javax.servlet.http.HttpServletRequest)) {
        return null;
      }
      javax.servlet.http.HttpServletRequest http = (javax.servlet.http.HttpServletRequest) request;
      String[] raw = new String[policy.nameCount()];
      for (int i = 0; i < raw.length; i++) {
        raw[i] = http.getHeader(policy.name(i));
      }
      return Propagation.enterInbound(raw, request);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter CurrentHeaders.Scope scope) {
      Propagation.exitInbound(scope);
    }
  }

  /** jakarta.servlet. */
  public static final class JakartaAdvice {
    private JakartaAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static CurrentHeaders.Scope enter(
        @Advice.Argument(0) jakarta.servlet.ServletRequest request) {
      HeaderPolicy policy = Propagation.policy();
      if (policy == null
          || CurrentHeaders.get() != null
          || !(request instanceof jakarta.servlet.http.HttpServletRequest)) {
        return null;
      }
      jakarta.servlet.http.HttpServletRequest http =
          (jakarta.servlet.http.HttpServletRequest) request;
      String[] raw = new String[policy.nameCount()];
      for (int i = 0; i < raw.length; i++) {
        raw[i] = http.getHeader(policy.name(i));
      }
      return Propagation.enterInbound(raw, request);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter CurrentHeaders.Scope scope) {
      Propagation.exitInbound(scope);
    }
  }
}
