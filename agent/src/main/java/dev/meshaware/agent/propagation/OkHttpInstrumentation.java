package dev.meshaware.agent.propagation;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.Propagation;
import java.util.List;
import net.bytebuddy.asm.Advice;
import okhttp3.Request;

/**
 * Outbound: OkHttp 3, 4 and 5. Every call, synchronous or enqueued, starts with {@code
 * OkHttpClient.newCall(Request)} on the calling thread; the advice swaps in a copy of the request
 * with the missing headers, leaving the application's own {@code Request} object untouched (it may
 * be reused for calls made while serving other requests).
 */
public final class OkHttpInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "okhttp";
  }

  @Override
  public List<String> typeNames() {
    return List.of("okhttp3.OkHttpClient");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(AdviceSpec.method("newCall", NewCallAdvice.class, "okhttp3.Request"));
  }

  @Override
  public List<String> requiredTypes() {
    return List.of(
        "okhttp3.Request#newBuilder",
        "okhttp3.Request#header",
        "okhttp3.Request$Builder#addHeader");
  }

  /** Copies the request with each captured header the application has not set. */
  public static final class NewCallAdvice {
    private NewCallAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(value = 0, readOnly = false) Request request) {
      if (request == null) {
        return;
      }
      CapturedHeaders headers = Propagation.outbound(request.url().host());
      if (headers == null) {
        return;
      }
      Request.Builder copy = null;
      for (int i = 0; i < headers.size(); i++) {
        if (request.header(headers.name(i)) == null) {
          if (copy == null) {
            copy = request.newBuilder();
          }
          copy.addHeader(headers.name(i), headers.value(i));
        }
      }
      if (copy != null) {
        request = copy.build();
      }
    }
  }
}
