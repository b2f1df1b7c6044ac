package dev.meshaware.agent.diagnostics;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.diagnostics.MeshDiagnostics;
import dev.meshaware.core.diagnostics.OutboundExchange;
import java.net.HttpURLConnection;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Diagnostics for {@code HttpURLConnection} (http and https). Every way of reading the answer
 * ({@code getResponseCode}, {@code getInputStream}, {@code getHeaderField}...) runs the exchange
 * through {@code getInputStream} once; later calls return what the first one stored. The advice
 * acts only on that first call. The error body is a live stream the application may read (the JDK
 * buffers it only under {@code sun.net.http.errorstream.enableBuffering}), so this client is
 * classified on status and headers only.
 */
public final class HttpUrlConnectionDiagnosticsInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "http-url-connection-diagnostics";
  }

  @Override
  public List<String> typeNames() {
    return List.of("sun.net.www.protocol.http.HttpURLConnection");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(AdviceSpec.method("getInputStream", ExchangeAdvice.class));
  }

  /** Records a response a sidecar may have made, or the failure that ended the exchange. */
  public static final class ExchangeAdvice {
    private ExchangeAdvice() {}

    /** True when this call makes the exchange: nothing stored yet, and diagnostics are on. */
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static boolean enter(
        @Advice.FieldValue("inputStream") Object stream,
        @Advice.FieldValue("rememberedException") Object remembered) {
      return stream == null && remembered == null && MeshDiagnostics.isActive();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.Enter boolean exchanged,
        @Advice.This Object self,
        @Advice.FieldValue("responseCode") int status,
        @Advice.Thrown Throwable thrown) {
      if (!exchanged) {
        return;
      }
      HttpURLConnection connection = (HttpURLConnection) self;
      OutboundExchange exchange =
          status > 0
              ? MeshDiagnostics.response("http-url-connection", status)
              : MeshDiagnostics.failure("http-url-connection", thrown);
      if (exchange == null) {
        return;
      }
      exchange.request(
          connection.getRequestMethod(),
          connection.getURL().toString(),
          connection.getRequestProperty("x-request-id"));
      if (status > 0) {
        for (int i = 0; i < OutboundExchange.RESPONSE_HEADERS.size(); i++) {
          String name = OutboundExchange.RESPONSE_HEADERS.get(i);
          exchange.header(name, connection.getHeaderField(name));
        }
      }
      MeshDiagnostics.record(exchange);
    }
  }
}
