package dev.meshaware.agent.diagnostics;

import dev.meshaware.agent.diagnostics.okhttp.BufferedBodyPrefix;
import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.diagnostics.MeshDiagnostics;
import dev.meshaware.core.diagnostics.OutboundExchange;
import java.util.List;
import net.bytebuddy.asm.Advice;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Diagnostics for OkHttp 3, 4 and 5. {@code RetryAndFollowUpInterceptor} returns the response the
 * application gets (after redirects and OkHttp's own retries), or throws what it gets, for calls
 * made synchronously and enqueued alike. The body itself is never read here: reading it, even with
 * {@code peekBody}, waits until it arrives, so {@code execute()} would wait for a body that trails
 * its headers (forever with {@code readTimeout(0)}). What the classifier sees of the body is what
 * {@link OkHttpBodyPrefixInstrumentation} found already received with the headers; without it, the
 * call is classified on status and headers.
 */
public final class OkHttpDiagnosticsInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "okhttp-diagnostics";
  }

  @Override
  public List<String> typeNames() {
    return List.of("okhttp3.internal.http.RetryAndFollowUpInterceptor");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.method("intercept", InterceptAdvice.class, "okhttp3.Interceptor$Chain"));
  }

  @Override
  public List<String> auxiliaryTypes() {
    return List.of(OkHttpBodyPrefixInstrumentation.BUFFERED_BODY_PREFIX);
  }

  /** Records a response a sidecar may have made, or the exception that ended the call. */
  public static final class InterceptAdvice {
    private InterceptAdvice() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.Argument(0) Interceptor.Chain chain,
        @Advice.Return Response response,
        @Advice.Thrown Throwable thrown) {
      // Taken on every exit, so that nothing remembered outlives its call on this thread.
      byte[] received = BufferedBodyPrefix.take(response);
      if (response != null) {
        OutboundExchange exchange = MeshDiagnostics.response("okhttp", response.code());
        if (exchange == null) {
          return;
        }
        Request request = response.request();
        exchange.request(
            request.method(), request.url().toString(), request.header("x-request-id"));
        for (int i = 0; i < OutboundExchange.RESPONSE_HEADERS.size(); i++) {
          String name = OutboundExchange.RESPONSE_HEADERS.get(i);
          exchange.header(name, response.header(name));
        }
        if (received != null && exchange.wantsBody()) {
          exchange.bodyBytes(received, received.length);
        }
        MeshDiagnostics.record(exchange);
      } else if (thrown != null) {
        OutboundExchange exchange = MeshDiagnostics.failure("okhttp", thrown);
        if (exchange == null) {
          return;
        }
        Request request = chain.request();
        exchange.request(
            request.method(), request.url().toString(), request.header("x-request-id"));
        MeshDiagnostics.record(exchange);
      }
    }
  }
}
