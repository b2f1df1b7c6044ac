package dev.meshaware.agent.library.jetty;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.diagnostics.MeshDiagnostics;
import dev.meshaware.core.diagnostics.OutboundExchange;
import java.util.List;
import net.bytebuddy.asm.Advice;
import org.eclipse.jetty.client.api.Request;
import org.eclipse.jetty.client.api.Response;
import org.eclipse.jetty.http.HttpFields;

/**
 * Diagnostics for Jetty 10 and 11's {@code HttpClient}: every response head passes {@code
 * ResponseNotifier.notifyHeaders} before the application's listeners see it, and every exchange
 * that fails (a refused connection, a reset) passes {@code notifyFailure}. Status and headers only:
 * the body is content the application demands itself, never read here. Each redirect hop is
 * recorded as the exchange it is.
 */
final class Jetty10ClientDiagnostics implements TypeInstrumentation {

  @Override
  public String name() {
    return "jetty10-client-diagnostics";
  }

  @Override
  public List<String> typeNames() {
    return List.of("org.eclipse.jetty.client.ResponseNotifier");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.method(
            "notifyHeaders",
            HeadersAdvice.class,
            "java.util.List",
            "org.eclipse.jetty.client.api.Response"),
        AdviceSpec.method(
            "notifyFailure",
            FailureAdvice.class,
            "java.util.List",
            "org.eclipse.jetty.client.api.Response",
            "java.lang.Throwable"));
  }

  /** Records a response head a sidecar may have made. */
  public static final class HeadersAdvice {
    private HeadersAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(1) Response response) {
      OutboundExchange exchange =
          response == null ? null : MeshDiagnostics.response("jetty-client", response.getStatus());
      if (exchange == null) {
        return;
      }
      Request request = response.getRequest();
      exchange.request(
          request.getMethod(),
          String.valueOf(request.getURI()),
          request.getHeaders().get("x-request-id"));
      HttpFields headers = response.getHeaders();
      for (int i = 0; i < OutboundExchange.RESPONSE_HEADERS.size(); i++) {
        String name = OutboundExchange.RESPONSE_HEADERS.get(i);
        exchange.header(name, headers.get(name));
      }
      MeshDiagnostics.record(exchange);
    }
  }

  /** Records an exchange that ended without a response. */
  public static final class FailureAdvice {
    private FailureAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(
        @Advice.Argument(1) Response response, @Advice.Argument(2) Throwable failure) {
      OutboundExchange exchange =
          response == null ? null : MeshDiagnostics.failure("jetty-client", failure);
      if (exchange == null) {
        return;
      }
      Request request = response.getRequest();
      exchange.request(
          request.getMethod(),
          String.valueOf(request.getURI()),
          request.getHeaders().get("x-request-id"));
      MeshDiagnostics.record(exchange);
    }
  }
}
