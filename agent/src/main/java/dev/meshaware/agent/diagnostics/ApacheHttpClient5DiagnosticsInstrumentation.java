package dev.meshaware.agent.diagnostics;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.diagnostics.MeshDiagnostics;
import dev.meshaware.core.diagnostics.OutboundExchange;
import java.util.List;
import net.bytebuddy.asm.Advice;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;

/**
 * Diagnostics for Apache HttpClient 5's classic client as built by {@code HttpClients} and {@code
 * HttpClientBuilder}: {@code InternalHttpClient.doExecute} returns the response the application
 * gets, after redirects and the client's own retries, or throws. The entity is a stream the
 * application reads, so this client is classified on status and headers only. The x-request-id
 * comes from the application's request or the request being served on this thread (the forwarded
 * one is added to the client's internal copy).
 */
public final class ApacheHttpClient5DiagnosticsInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "apache-httpclient5-diagnostics";
  }

  @Override
  public List<String> typeNames() {
    return List.of("org.apache.hc.client5.http.impl.classic.InternalHttpClient");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.method(
            "doExecute",
            ExecuteAdvice.class,
            "org.apache.hc.core5.http.HttpHost",
            "org.apache.hc.core5.http.ClassicHttpRequest",
            "org.apache.hc.core5.http.protocol.HttpContext"));
  }

  /** Records a response a sidecar may have made, or the failure that ended the call. */
  public static final class ExecuteAdvice {
    private ExecuteAdvice() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.Argument(0) HttpHost target,
        @Advice.Argument(1) ClassicHttpRequest request,
        @Advice.Return CloseableHttpResponse response,
        @Advice.Thrown Throwable thrown) {
      OutboundExchange exchange =
          response != null
              ? MeshDiagnostics.response("apache-httpclient5", response.getCode())
              : MeshDiagnostics.failure("apache-httpclient5", thrown);
      if (exchange == null) {
        return;
      }
      Header requestId = request.getFirstHeader("x-request-id");
      exchange.request(
          request.getMethod(),
          target != null ? target.toURI().concat(request.getPath()) : request.getRequestUri(),
          requestId == null ? null : requestId.getValue());
      if (response != null) {
        for (int i = 0; i < OutboundExchange.RESPONSE_HEADERS.size(); i++) {
          Header header = response.getFirstHeader(OutboundExchange.RESPONSE_HEADERS.get(i));
          exchange.header(
              OutboundExchange.RESPONSE_HEADERS.get(i), header == null ? null : header.getValue());
        }
      }
      MeshDiagnostics.record(exchange);
    }
  }
}
