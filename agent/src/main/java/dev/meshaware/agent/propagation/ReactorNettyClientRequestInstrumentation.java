package dev.meshaware.agent.propagation;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.SubscriberContext;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.URI;
import java.util.List;
import net.bytebuddy.asm.Advice;
import reactor.netty.http.client.HttpClientRequest;

/**
 * Outbound, second half: Reactor Netty's {@code HttpClient} (Spring's {@code WebClient} included).
 * Every request, redirects too, passes {@code HttpClientOperations.beforeMarkSentHeaders} on the
 * event loop just before its headers are written, after the application's {@code headers(...)},
 * {@code doOnRequest} and redirect callbacks ran. The headers come from the subscriber context of
 * the call, never from the event loop's thread, which serves many requests at once. The headers
 * object belongs to this one request (Reactor Netty copies the client's configured headers into
 * it), so adding to it changes nothing the application reuses.
 */
public final class ReactorNettyClientRequestInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "reactor-netty-client";
  }

  @Override
  public List<String> typeNames() {
    return List.of("reactor.netty.http.client.HttpClientOperations");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(AdviceSpec.method("beforeMarkSentHeaders", BeforeSendAdvice.class));
  }

  /** Adds each carried header the application has not set itself. */
  public static final class BeforeSendAdvice {
    private BeforeSendAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This HttpClientRequest request) {
      Object carried = request.currentContextView().getOrDefault(SubscriberContext.KEY, null);
      if (carried == null) {
        return;
      }
      // An address java.net.URI rejects throws here, and then nothing is forwarded: an excluded
      // host must never get the headers because its name could not be read.
      String url = request.resourceUrl();
      CapturedHeaders headers =
          SubscriberContext.outbound(carried, url == null ? null : URI.create(url));
      if (headers == null) {
        return;
      }
      HttpHeaders existing = request.requestHeaders();
      for (int i = 0; i < headers.size(); i++) {
        if (!existing.contains(headers.name(i))) {
          existing.add(headers.name(i), headers.value(i));
        }
      }
    }
  }
}
