package dev.meshaware.agent.library.jetty;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.CurrentHeaders;
import dev.meshaware.core.propagation.OutboundCalls;
import dev.meshaware.core.propagation.OwnedWork;
import dev.meshaware.core.propagation.Propagation;
import java.util.List;
import net.bytebuddy.asm.Advice;
import org.eclipse.jetty.client.HttpRequest;
import org.eclipse.jetty.client.api.Response;
import org.eclipse.jetty.client.api.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;

/**
 * Outbound: Jetty 10 and 11's {@code HttpClient}, the same three points as {@link
 * Jetty12ClientInstrumentations} (where the why is written) under the names these versions use:
 * {@code org.eclipse.jetty.client.HttpRequest}, {@code HttpConnection} and {@code
 * ResponseNotifier}. The advice is compiled against stand-ins of these classes ({@code
 * src/stubs/java}) and calls only what both versions have.
 */
final class Jetty10ClientInstrumentations {
  private Jetty10ClientInstrumentations() {}

  private static final String REQUEST = "org.eclipse.jetty.client.HttpRequest";
  private static final String RESPONSE = "org.eclipse.jetty.client.api.Response";
  private static final String LIST = "java.util.List";

  /** {@code HttpRequest.send(CompleteListener)}. */
  static final class Send implements TypeInstrumentation {
    @Override
    public String name() {
      return "jetty10-client";
    }

    @Override
    public List<String> typeNames() {
      return List.of(REQUEST);
    }

    @Override
    public List<AdviceSpec> advice() {
      return List.of(
          AdviceSpec.method(
              "send",
              Jetty12ClientInstrumentations.SendAdvice.class,
              "org.eclipse.jetty.client.api.Response$CompleteListener"));
    }
  }

  /** {@code HttpConnection.normalizeRequest(HttpRequest)}. */
  static final class Normalize implements TypeInstrumentation {
    @Override
    public String name() {
      return "jetty10-client-requests";
    }

    @Override
    public List<String> typeNames() {
      return List.of("org.eclipse.jetty.client.HttpConnection");
    }

    @Override
    public List<AdviceSpec> advice() {
      return List.of(AdviceSpec.method("normalizeRequest", NormalizeAdvice.class, REQUEST));
    }
  }

  /** The {@code notify*} methods of {@code ResponseNotifier}. */
  static final class Listeners implements TypeInstrumentation {
    @Override
    public String name() {
      return "jetty10-client-listeners";
    }

    @Override
    public List<String> typeNames() {
      return List.of("org.eclipse.jetty.client.ResponseNotifier");
    }

    @Override
    public List<AdviceSpec> advice() {
      return List.of(
          AdviceSpec.method("notifyBegin", SecondArgumentScopeAdvice.class, LIST, RESPONSE),
          AdviceSpec.method(
              "notifyHeader",
              SecondArgumentScopeAdvice.class,
              LIST,
              RESPONSE,
              "org.eclipse.jetty.http.HttpField"),
          AdviceSpec.method("notifyHeaders", SecondArgumentScopeAdvice.class, LIST, RESPONSE),
          AdviceSpec.method(
              "notifyContent",
              FirstArgumentScopeAdvice.class,
              RESPONSE,
              "java.util.function.ObjLongConsumer",
              "java.nio.ByteBuffer",
              "org.eclipse.jetty.util.Callback",
              LIST),
          AdviceSpec.method("notifySuccess", SecondArgumentScopeAdvice.class, LIST, RESPONSE),
          AdviceSpec.method(
              "notifyFailure",
              SecondArgumentScopeAdvice.class,
              LIST,
              RESPONSE,
              "java.lang.Throwable"),
          AdviceSpec.method(
              "notifyComplete",
              ResultScopeAdvice.class,
              LIST,
              "org.eclipse.jetty.client.api.Result"));
    }
  }

  /** See {@link Jetty12ClientInstrumentations.NormalizeAdvice}. */
  public static final class NormalizeAdvice {
    private NormalizeAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(0) HttpRequest request) {
      if (request == null || Propagation.policy() == null) {
        return;
      }
      Object conversation = request.getConversation();
      HttpFields fields = request.getHeaders();
      CapturedHeaders owed = OutboundCalls.headers(conversation);
      if (owed == null) {
        Object owner = OwnedWork.enterDefined(request);
        CapturedHeaders headers;
        try {
          headers = Propagation.forCall();
        } finally {
          OwnedWork.exit(owner);
        }
        if (headers == null) {
          return;
        }
        boolean[] appSet = new boolean[headers.size()];
        for (int i = 0; i < appSet.length; i++) {
          appSet[i] = fields.get(headers.name(i)) != null;
        }
        owed = headers.without(appSet);
        if (owed == null) {
          return;
        }
        CurrentHeaders.Scope record = CurrentHeaders.open(owed);
        try {
          OutboundCalls.begin(conversation);
        } finally {
          record.close();
        }
      }
      boolean allowed =
          Propagation.forDestination(owed, request.getHost(), request.getPort()) != null;
      for (int i = 0; i < owed.size(); i++) {
        String present = fields.get(owed.name(i));
        if (allowed && present == null) {
          request.addHeader(new HttpField(owed.name(i), owed.value(i)));
        } else if (!allowed && owed.value(i).equals(present)) {
          request.header(owed.name(i), null);
        }
      }
    }
  }

  /** Runs a listener call with the headers of the request that sent the exchange. */
  public static final class SecondArgumentScopeAdvice {
    private SecondArgumentScopeAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(1) Response response) {
      return response == null ? null : OwnedWork.enterDefined(response.getRequest());
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object scope) {
      OwnedWork.exit(scope);
    }
  }

  /** The content listeners' form of {@link SecondArgumentScopeAdvice}. */
  public static final class FirstArgumentScopeAdvice {
    private FirstArgumentScopeAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(0) Response response) {
      return response == null ? null : OwnedWork.enterDefined(response.getRequest());
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object scope) {
      OwnedWork.exit(scope);
    }
  }

  /** The whole exchange's form of {@link SecondArgumentScopeAdvice}. */
  public static final class ResultScopeAdvice {
    private ResultScopeAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(1) Result result) {
      return result == null ? null : OwnedWork.enterDefined(result.getRequest());
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object scope) {
      OwnedWork.exit(scope);
    }
  }
}
