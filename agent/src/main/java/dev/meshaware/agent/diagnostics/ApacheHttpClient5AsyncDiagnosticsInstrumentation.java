package dev.meshaware.agent.diagnostics;

import dev.meshaware.agent.diagnostics.apache.ObservingAsyncExecCallback;
import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.diagnostics.MeshDiagnostics;
import java.util.List;
import net.bytebuddy.asm.Advice;
import org.apache.hc.client5.http.async.AsyncExecCallback;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.core5.http.HttpRequest;

/**
 * Diagnostics for Apache HttpClient 5's async client. A call enters the exec chain at its outermost
 * element with the client's own callback, which receives only the final response (redirects and
 * retries are handled by inner elements with callbacks of their own) or the final failure. The
 * advice puts {@link ObservingAsyncExecCallback} in its place, so that one small object per async
 * call is the cost. The entity is delivered to the application's consumer as it arrives, so this
 * client is classified on status and headers only.
 */
public final class ApacheHttpClient5AsyncDiagnosticsInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "apache-httpclient5-async-diagnostics";
  }

  @Override
  public List<String> typeNames() {
    return List.of("org.apache.hc.client5.http.impl.async.AsyncExecChainElement");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.method(
            "execute",
            ObserveAdvice.class,
            "org.apache.hc.core5.http.HttpRequest",
            "org.apache.hc.core5.http.nio.AsyncEntityProducer",
            "org.apache.hc.client5.http.async.AsyncExecChain$Scope",
            "org.apache.hc.client5.http.async.AsyncExecCallback"));
  }

  @Override
  public List<String> auxiliaryTypes() {
    return List.of("dev.meshaware.agent.diagnostics.apache.ObservingAsyncExecCallback");
  }

  /** Observes the call through its outermost callback, the one the client itself made. */
  public static final class ObserveAdvice {
    /** The client's own callbacks are anonymous classes of this class (5.1 to 5.5). */
    public static final String CLIENT_CALLBACK =
        "org.apache.hc.client5.http.impl.async.InternalAbstractHttpAsyncClient$";

    private ObserveAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(
        @Advice.Argument(0) HttpRequest request,
        @Advice.Argument(2) AsyncExecChain.Scope scope,
        @Advice.Argument(value = 3, readOnly = false) AsyncExecCallback callback) {
      if (callback == null
          || !MeshDiagnostics.isActive()
          || !callback.getClass().getName().startsWith(CLIENT_CALLBACK)) {
        return;
      }
      callback = new ObservingAsyncExecCallback(callback, request, scope.route.getTargetHost());
    }
  }
}
