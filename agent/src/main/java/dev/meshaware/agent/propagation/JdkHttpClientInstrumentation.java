package dev.meshaware.agent.propagation;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.OutboundCalls;
import java.net.http.HttpHeaders;
import java.util.List;
import jdk.internal.net.http.HttpRequestImpl;
import net.bytebuddy.asm.Advice;

/**
 * Outbound: {@code java.net.http.HttpClient}, {@code send} and {@code sendAsync}. Both create one
 * {@code MultiExchange} per call, on the calling thread; the advice records there which request the
 * call belongs to ({@link OutboundCalls}). The call then sends its requests (the first, each
 * redirect, each authentication retry) from the client's executor, and each one passes {@code
 * MultiExchange.requestFilters} before it is sent. There the advice adds the call's headers, if the
 * request's own destination may have them, as <em>system</em> headers of that request: the ones the
 * client itself sets (User-Agent, cookies), which it makes anew for every redirect and never copies
 * to the next request, nor shows to the application. So nothing meshaware adds is carried from one
 * host to the next, and the application's {@code HttpRequest} and the one the response reports are
 * exactly as it built them. A header the application set wins (the client sends a user header over
 * a system header of the same name; the advice does not add it at all).
 *
 * <p>The client's internal classes are reached through compile-time stand-ins (src/stubs); the
 * shape check switches the advice off on a JDK whose classes differ.
 */
public final class JdkHttpClientInstrumentation implements TypeInstrumentation {
  private static final String REQUEST = "java.net.http.HttpRequest";
  private static final String REQUEST_IMPL = "jdk.internal.net.http.HttpRequestImpl";
  private static final String CLIENT = "jdk.internal.net.http.HttpClientImpl";
  private static final String HANDLER = "java.net.http.HttpResponse$BodyHandler";
  private static final String PUSH = "java.net.http.HttpResponse$PushPromiseHandler";

  @Override
  public String name() {
    return "jdk-httpclient";
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
        // JDK 17 passes the caller's AccessControlContext too; JDK 24 and later do not.
        AdviceSpec.constructor(
                CallAdvice.class,
                REQUEST,
                REQUEST_IMPL,
                CLIENT,
                HANDLER,
                PUSH,
                "java.security.AccessControlContext")
            .asAlternative(),
        AdviceSpec.constructor(CallAdvice.class, REQUEST, REQUEST_IMPL, CLIENT, HANDLER, PUSH)
            .asAlternative(),
        AdviceSpec.method("requestFilters", RequestAdvice.class, REQUEST_IMPL));
  }

  /** Records the request the new call belongs to. */
  public static final class CallAdvice {
    private CallAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object call) {
      OutboundCalls.begin(call);
    }
  }

  /** Adds the call's headers to one request it is about to send, if its destination allows. */
  public static final class RequestAdvice {
    private RequestAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(
        @Advice.This Object call, @Advice.Argument(0) HttpRequestImpl request) {
      if (request.isWebSocket()) {
        return;
      }
      CapturedHeaders headers = OutboundCalls.forDestination(call, request.uri());
      if (headers == null) {
        return;
      }
      HttpHeaders own = request.headers();
      for (int i = 0; i < headers.size(); i++) {
        if (own.firstValue(headers.name(i)).isEmpty()) {
          request.setSystemHeader(headers.name(i), headers.value(i));
        }
      }
    }
  }
}
