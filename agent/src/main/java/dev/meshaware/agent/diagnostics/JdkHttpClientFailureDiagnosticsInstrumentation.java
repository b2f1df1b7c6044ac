package dev.meshaware.agent.diagnostics;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.diagnostics.MeshDiagnostics;
import dev.meshaware.core.diagnostics.OutboundExchange;
import java.net.http.HttpRequest;
import java.util.List;
import jdk.internal.net.http.HttpRequestImpl;
import net.bytebuddy.asm.Advice;

/**
 * Diagnostics for {@code java.net.http.HttpClient} calls that end without a response. Every failure
 * of an exchange passes {@code MultiExchange.getExceptionalCF}, which returns null when the client
 * retries and the failed future the application gets otherwise; {@code send} and {@code sendAsync}
 * both run through it. Its parameters differ between JDK versions (17: the failure; 25: the failure
 * and the exchange), so there is one instance per shape and the shape check keeps the one that fits
 * the running JDK.
 */
public final class JdkHttpClientFailureDiagnosticsInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "jdk-httpclient-failure-diagnostics";
  }

  @Override
  public List<String> announcedBy() {
    return List.of("java.net.http.HttpClient");
  }

  @Override
  public List<String> typeNames() {
    return List.of("jdk.internal.net.http.MultiExchange");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.method("getExceptionalCF", FailureAdvice.class, "java.lang.Throwable")
            .asAlternative(),
        AdviceSpec.method(
                "getExceptionalCF",
                FailureAdvice.class,
                "java.lang.Throwable",
                "jdk.internal.net.http.ExchangeImpl")
            .asAlternative());
  }

  /** Records the failure the application gets; a failure the client retries is not one. */
  public static final class FailureAdvice {
    private FailureAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(
        @Advice.Argument(0) Throwable failure,
        @Advice.Return Object failed,
        @Advice.FieldValue("currentreq") Object current) {
      if (failed == null) {
        return;
      }
      OutboundExchange exchange = MeshDiagnostics.failure("jdk-httpclient", failure);
      if (exchange == null || !(current instanceof HttpRequest)) {
        return;
      }
      HttpRequest request = (HttpRequest) current;
      // meshaware forwards as a system header of the request (JdkHttpClientInstrumentation).
      String requestId = request.headers().firstValue("x-request-id").orElse(null);
      if (requestId == null && current instanceof HttpRequestImpl) {
        requestId =
            ((HttpRequestImpl) current)
                .getSystemHeadersBuilder()
                .build()
                .firstValue("x-request-id")
                .orElse(null);
      }
      exchange.request(request.method(), request.uri().toString(), requestId);
      MeshDiagnostics.record(exchange);
    }
  }
}
