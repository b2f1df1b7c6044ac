package dev.meshaware.agent.diagnostics;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.diagnostics.MeshDiagnostics;
import dev.meshaware.core.diagnostics.OutboundExchange;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import java.util.List;
import net.bytebuddy.asm.Advice;
import reactor.netty.http.client.HttpClientRequest;

/**
 * Diagnostics for the responses of Reactor Netty's {@code HttpClient} (Spring's {@code WebClient}
 * included). Every inbound message of a request passes {@code HttpClientOperations.onInboundNext}
 * on the event loop; the advice looks only at the response head, before Reactor Netty handles it.
 * The body follows in separate buffers that belong to the application's pipeline, so this client is
 * classified on status and headers only. The x-request-id comes from the request's own headers,
 * where header forwarding put it: an event loop serves many requests at once.
 */
public final class ReactorNettyClientDiagnosticsInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "reactor-netty-client-diagnostics";
  }

  @Override
  public List<String> typeNames() {
    return List.of("reactor.netty.http.client.HttpClientOperations");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.method(
            "onInboundNext",
            ResponseAdvice.class,
            "io.netty.channel.ChannelHandlerContext",
            "java.lang.Object"));
  }

  /** Records a response head a sidecar may have made. */
  public static final class ResponseAdvice {
    private ResponseAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This HttpClientRequest self, @Advice.Argument(1) Object msg) {
      if (!(msg instanceof HttpResponse)) {
        return;
      }
      HttpResponse response = (HttpResponse) msg;
      if (!response.decoderResult().isSuccess()) {
        return;
      }
      OutboundExchange exchange =
          MeshDiagnostics.response("reactor-netty-client", response.status().code());
      if (exchange == null) {
        return;
      }
      exchange.request(
          self.method().name(), self.resourceUrl(), self.requestHeaders().get("x-request-id"));
      HttpHeaders headers = response.headers();
      for (int i = 0; i < OutboundExchange.RESPONSE_HEADERS.size(); i++) {
        String name = OutboundExchange.RESPONSE_HEADERS.get(i);
        exchange.header(name, headers.get(name));
      }
      MeshDiagnostics.record(exchange);
    }
  }
}
