package dev.meshaware.agent.diagnostics;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.diagnostics.MeshDiagnostics;
import dev.meshaware.core.diagnostics.OutboundExchange;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import jdk.internal.net.http.HttpRequestImpl;
import net.bytebuddy.asm.Advice;

/**
 * Diagnostics for the responses of {@code java.net.http.HttpClient}, {@code send} and {@code
 * sendAsync} alike: every response the client hands out is built by one constructor, after the
 * application's body handler has run. So the body is available exactly when the handler already
 * holds it whole ({@code ofString}, {@code ofByteArray}); for the other handlers (streams,
 * discarding, files) the response is classified on status and headers only. Nothing is read that
 * the application would not read itself.
 */
public final class JdkHttpClientDiagnosticsInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "jdk-httpclient-diagnostics";
  }

  @Override
  public List<String> announcedBy() {
    return List.of("java.net.http.HttpClient");
  }

  @Override
  public List<String> typeNames() {
    return List.of("jdk.internal.net.http.HttpResponseImpl");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.constructor(
            ResponseAdvice.class,
            "java.net.http.HttpRequest",
            "jdk.internal.net.http.Response",
            "java.net.http.HttpResponse",
            "java.lang.Object",
            "jdk.internal.net.http.Exchange"));
  }

  /** Records a response a sidecar may have made. */
  public static final class ResponseAdvice {
    private ResponseAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object self, @Advice.Argument(3) Object body) {
      HttpResponse<?> response = (HttpResponse<?>) self;
      OutboundExchange exchange = MeshDiagnostics.response("jdk-httpclient", response.statusCode());
      if (exchange == null) {
        return;
      }
      HttpRequest request = response.request();
      // meshaware forwards as a system header of the request (JdkHttpClientInstrumentation).
      String requestId = request.headers().firstValue("x-request-id").orElse(null);
      if (requestId == null && request instanceof HttpRequestImpl) {
        requestId =
            ((HttpRequestImpl) request)
                .getSystemHeadersBuilder()
                .build()
                .firstValue("x-request-id")
                .orElse(null);
      }
      exchange.request(request.method(), response.uri().toString(), requestId);
      HttpHeaders headers = response.headers();
      for (int i = 0; i < OutboundExchange.RESPONSE_HEADERS.size(); i++) {
        String name = OutboundExchange.RESPONSE_HEADERS.get(i);
        exchange.header(name, headers.firstValue(name).orElse(null));
      }
      exchange.bodyObject(body);
      MeshDiagnostics.record(exchange);
    }
  }
}
