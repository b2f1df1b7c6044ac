package dev.meshaware.agent.propagation;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.OutboundCalls;
import dev.meshaware.core.propagation.Propagation;
import java.util.List;
import net.bytebuddy.asm.Advice;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;

/**
 * Outbound: Apache HttpClient 5, classic and async. Both clients run a request through a chain of
 * exec elements, and the request the chain sees is the client's own copy of the application's
 * request, so adding headers there never changes an object the application may reuse. The first
 * element runs on the calling thread. Every request of a call passes the chain with its own route,
 * so each is checked against its own destination. A redirect is built from the application's
 * original request, never from the client's copy the headers were added to, so nothing meshaware
 * added to one request reaches the next. Redirects of the classic client pass through the chain
 * again on the calling thread and get the headers when their host allows. The async client follows
 * redirects on its I/O threads, where no request is current (or whatever request the thread may
 * hold is another's), so the async call carries its own: the first request of a call records the
 * request being served under the call's exec runtime (one per call, kept by every redirect and
 * retry of it, never handed to the application; see {@link OutboundCalls}), and every request the
 * call sends takes the headers from there, checked against its own destination.
 */
public final class ApacheHttpClient5Instrumentation implements TypeInstrumentation {
  private static final String CLASSIC = "org.apache.hc.client5.http.impl.classic.ExecChainElement";
  private static final String ASYNC = "org.apache.hc.client5.http.impl.async.AsyncExecChainElement";

  private final boolean async;

  private ApacheHttpClient5Instrumentation(boolean async) {
    this.async = async;
  }

  /** The classic and the async client. */
  public static List<TypeInstrumentation> both() {
    return List.of(
        new ApacheHttpClient5Instrumentation(false), new ApacheHttpClient5Instrumentation(true));
  }

  @Override
  public String name() {
    return async ? "apache-httpclient5-async" : "apache-httpclient5";
  }

  @Override
  public List<String> typeNames() {
    return List.of(async ? ASYNC : CLASSIC);
  }

  @Override
  public List<AdviceSpec> advice() {
    if (async) {
      return List.of(
          AdviceSpec.method(
              "execute",
              AsyncAdvice.class,
              "org.apache.hc.core5.http.HttpRequest",
              "org.apache.hc.core5.http.nio.AsyncEntityProducer",
              "org.apache.hc.client5.http.async.AsyncExecChain$Scope",
              "org.apache.hc.client5.http.async.AsyncExecCallback"));
    }
    return List.of(
        AdviceSpec.method(
            "execute",
            ClassicAdvice.class,
            "org.apache.hc.core5.http.ClassicHttpRequest",
            "org.apache.hc.client5.http.classic.ExecChain$Scope"));
  }

  /** Adds the missing headers to the classic client's request copy. */
  public static final class ClassicAdvice {
    private ClassicAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(
        @Advice.Argument(0) HttpRequest request, @Advice.Argument(1) ExecChain.Scope scope) {
      HttpHost target = scope.route.getTargetHost();
      CapturedHeaders headers = Propagation.outbound(target.getHostName(), target.getPort());
      if (headers == null) {
        return;
      }
      for (int i = 0; i < headers.size(); i++) {
        if (!request.containsHeader(headers.name(i))) {
          request.addHeader(headers.name(i), headers.value(i));
        }
      }
    }
  }

  /** Adds the missing headers to the async client's request copy. */
  public static final class AsyncAdvice {
    private AsyncAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(
        @Advice.Argument(0) HttpRequest request, @Advice.Argument(2) AsyncExecChain.Scope scope) {
      // The call's first chain element runs on the calling thread: it records the call's request;
      // the first record wins, so no thread a later element runs on can change it.
      CapturedHeaders carried = OutboundCalls.headers(scope.execRuntime);
      if (carried == null && Propagation.forCall() != null) {
        OutboundCalls.begin(scope.execRuntime);
        carried = OutboundCalls.headers(scope.execRuntime);
      }
      HttpHost target = scope.route.getTargetHost();
      CapturedHeaders headers =
          Propagation.forDestination(carried, target.getHostName(), target.getPort());
      if (headers == null) {
        return;
      }
      for (int i = 0; i < headers.size(); i++) {
        if (!request.containsHeader(headers.name(i))) {
          request.addHeader(headers.name(i), headers.value(i));
        }
      }
    }
  }
}
