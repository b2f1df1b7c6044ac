package dev.meshaware.agent.propagation;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.Propagation;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import net.bytebuddy.asm.Advice;

/**
 * Outbound: {@code java.net.http.HttpClient}, {@code send} and {@code sendAsync}. An {@code
 * HttpRequest} is immutable, so the advice replaces the argument with a copy that has the missing
 * headers. The copy is made inline: the client lives in the platform class loader, which cannot see
 * a helper of the agent's, and core (in the boot loader) cannot see {@code java.net.http}. The
 * request is rewritten on the calling thread, before any hop to the client's executor.
 */
public final class JdkHttpClientInstrumentation implements TypeInstrumentation {
  private static final String REQUEST = "java.net.http.HttpRequest";
  private static final String HANDLER = "java.net.http.HttpResponse$BodyHandler";
  private static final String PUSH = "java.net.http.HttpResponse$PushPromiseHandler";

  @Override
  public String name() {
    return "jdk-httpclient";
  }

  @Override
  public List<String> typeNames() {
    return List.of("jdk.internal.net.http.HttpClientImpl");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.method("send", SendAdvice.class, REQUEST, HANDLER),
        AdviceSpec.method("sendAsync", SendAdvice.class, REQUEST, HANDLER),
        AdviceSpec.method("sendAsync", SendAdvice.class, REQUEST, HANDLER, PUSH));
  }

  /** Replaces the request with a copy carrying the captured headers the application did not set. */
  public static final class SendAdvice {
    private SendAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(value = 0, readOnly = false) HttpRequest request) {
      if (request == null) {
        return;
      }
      CapturedHeaders headers = Propagation.outbound(request.uri().getHost());
      if (headers == null) {
        return;
      }
      HttpHeaders existing = request.headers();
      HttpRequest.Builder copy = null;
      for (int i = 0; i < headers.size(); i++) {
        if (existing.firstValue(headers.name(i)).isPresent()) {
          continue;
        }
        if (copy == null) {
          copy = HttpRequest.newBuilder(request.uri()).expectContinue(request.expectContinue());
          if (request.version().isPresent()) {
            copy.version(request.version().get());
          }
          if (request.timeout().isPresent()) {
            copy.timeout(request.timeout().get());
          }
          copy.method(
              request.method(),
              request.bodyPublisher().isPresent()
                  ? request.bodyPublisher().get()
                  : HttpRequest.BodyPublishers.noBody());
          for (Map.Entry<String, List<String>> header : existing.map().entrySet()) {
            for (String value : header.getValue()) {
              copy.header(header.getKey(), value);
            }
          }
        }
        copy.header(headers.name(i), headers.value(i));
      }
      if (copy != null) {
        request = copy.build();
      }
    }
  }
}
