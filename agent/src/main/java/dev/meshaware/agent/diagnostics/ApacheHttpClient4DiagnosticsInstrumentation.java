package dev.meshaware.agent.diagnostics;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.diagnostics.MeshDiagnostics;
import dev.meshaware.core.diagnostics.OutboundExchange;
import java.util.List;
import net.bytebuddy.asm.Advice;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.client.methods.CloseableHttpResponse;

/**
 * Diagnostics for Apache HttpClient 4.5 as built by {@code HttpClients} and {@code
 * HttpClientBuilder}: {@code InternalHttpClient.doExecute} returns the response the application
 * gets, after redirects and retries, or throws. The entity is a stream the application reads, so
 * this client is classified on status and headers only.
 *
 * <p>The library's classes are Java 6 class files, which cannot hold the {@code invokedynamic} that
 * {@code +} on strings compiles to: the advice concatenates with {@code String.concat}.
 */
public final class ApacheHttpClient4DiagnosticsInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "apache-httpclient4-diagnostics";
  }

  @Override
  public List<String> typeNames() {
    return List.of("org.apache.http.impl.client.InternalHttpClient");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.method(
            "doExecute",
            ExecuteAdvice.class,
            "org.apache.http.HttpHost",
            "org.apache.http.HttpRequest",
            "org.apache.http.protocol.HttpContext"));
  }

  /** Records a response a sidecar may have made, or the failure that ended the call. */
  public static final class ExecuteAdvice {
    private ExecuteAdvice() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.Argument(0) HttpHost target,
        @Advice.Argument(1) HttpRequest request,
        @Advice.Return CloseableHttpResponse response,
        @Advice.Thrown Throwable thrown) {
      OutboundExchange exchange =
          response != null
              ? MeshDiagnostics.response(
                  "apache-httpclient4", response.getStatusLine().getStatusCode())
              : MeshDiagnostics.failure("apache-httpclient4", thrown);
      if (exchange == null) {
        return;
      }
      String uri = request.getRequestLine().getUri();
      Header requestId = request.getFirstHeader("x-request-id");
      exchange.request(
          request.getRequestLine().getMethod(),
          target == null || uri.contains("://") ? uri : target.toURI().concat(uri),
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
