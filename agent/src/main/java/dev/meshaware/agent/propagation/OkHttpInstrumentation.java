package dev.meshaware.agent.propagation;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.Propagation;
import java.util.List;
import net.bytebuddy.asm.Advice;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * Outbound: OkHttp 3.14 and later, 4 and 5. Every call, synchronous or enqueued, starts with {@code
 * OkHttpClient.newCall(Request)} on the calling thread; the advice swaps in a copy of the request
 * that carries, as a tag, the headers meshaware owes the call (the current request's, less those
 * the application set itself), and the headers themselves when the first host may have them. The
 * application's own {@code Request} object stays untouched (it may be reused while serving other
 * requests).
 *
 * <p>Redirects and retries are built by OkHttp from the previous request, headers and tags
 * included, on whatever thread runs the call. So every request is checked again where it is written
 * to the connection ({@code Exchange.writeRequestHeaders}): a request to an excluded host goes out
 * without the headers meshaware added, one to an allowed host with them, whatever the hosts before
 * it were. Headers the application set are never touched.
 */
public final class OkHttpInstrumentation {
  private OkHttpInstrumentation() {}

  /** The call entry and the point each request of a call is written. */
  public static List<TypeInstrumentation> both() {
    return List.of(new NewCall(), new WriteRequest());
  }

  /** {@code OkHttpClient.newCall}. */
  static final class NewCall implements TypeInstrumentation {
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
  }

  /** {@code Exchange.writeRequestHeaders}: every request a call sends, redirects included. */
  static final class WriteRequest implements TypeInstrumentation {
    @Override
    public String name() {
      return "okhttp-redirects";
    }

    @Override
    public List<String> typeNames() {
      return List.of("okhttp3.internal.connection.Exchange");
    }

    @Override
    public List<AdviceSpec> advice() {
      return List.of(
          AdviceSpec.method("writeRequestHeaders", WriteAdvice.class, "okhttp3.Request"));
    }
  }

  /** Tags a copy of the request with what meshaware owes the call; adds it for an allowed host. */
  public static final class NewCallAdvice {
    private NewCallAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(value = 0, readOnly = false) Request request) {
      CapturedHeaders headers = request == null ? null : Propagation.forCall();
      if (headers == null) {
        return;
      }
      boolean[] appSet = new boolean[headers.size()];
      for (int i = 0; i < headers.size(); i++) {
        appSet[i] = request.header(headers.name(i)) != null;
      }
      CapturedHeaders owed = headers.without(appSet);
      if (owed == null) {
        return;
      }
      Request.Builder copy = request.newBuilder().tag(CapturedHeaders.class, owed);
      HttpUrl url = request.url();
      if (Propagation.forDestination(owed, url.host(), url.port()) != null) {
        for (int i = 0; i < owed.size(); i++) {
          copy.addHeader(owed.name(i), owed.value(i));
        }
      }
      request = copy.build();
    }
  }

  /**
   * Gives the request about to be written exactly the owed headers its own destination may have:
   * removes those meshaware added for an excluded host, adds the missing ones for an allowed host.
   */
  public static final class WriteAdvice {
    private WriteAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(value = 0, readOnly = false) Request request) {
      CapturedHeaders owed = request == null ? null : request.tag(CapturedHeaders.class);
      if (owed == null) {
        return;
      }
      HttpUrl url = request.url();
      boolean allowed = Propagation.forDestination(owed, url.host(), url.port()) != null;
      Request.Builder copy = null;
      for (int i = 0; i < owed.size(); i++) {
        String present = request.header(owed.name(i));
        if (allowed ? present == null : owed.value(i).equals(present)) {
          copy = copy == null ? request.newBuilder() : copy;
          if (allowed) {
            copy.header(owed.name(i), owed.value(i));
          } else {
            copy.removeHeader(owed.name(i));
          }
        }
      }
      if (copy != null) {
        request = copy.build();
      }
    }
  }
}
