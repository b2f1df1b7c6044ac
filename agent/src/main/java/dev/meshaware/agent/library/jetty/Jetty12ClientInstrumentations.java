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
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.transport.HttpRequest;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;

/**
 * Outbound: Jetty 12's {@code HttpClient} (and Spring's {@code WebClient} on Jetty's connector,
 * which sends through it). How it works, and why there:
 *
 * <ul>
 *   <li>{@code HttpRequest.send(listener)}, which the blocking {@code send()} calls too, runs on
 *       the thread that sends: the request object is recorded as defined by the request being
 *       served there (or by none), beside it, never in it.
 *   <li>{@code HttpConnection.normalizeRequest} runs for every request Jetty puts on a connection,
 *       each redirect hop and authentication retry included, on whatever thread: the headers owed
 *       are those of the request's owner less those the application set on the first request of the
 *       conversation (recorded once, by conversation), and each hop gets them when its own
 *       destination may have them. Jetty copies a hop's headers into the next one, so on an
 *       excluded hop the copies of what meshaware added are removed; what the application set is
 *       never touched.
 *   <li>{@code ResponseListeners} calls the application's response listeners on the client's
 *       threads, which serve many requests in turn: each call runs with the headers of the request
 *       that sent the exchange, or with none.
 * </ul>
 */
final class Jetty12ClientInstrumentations {
  private Jetty12ClientInstrumentations() {}

  private static final String REQUEST = "org.eclipse.jetty.client.transport.HttpRequest";
  private static final String RESPONSE = "org.eclipse.jetty.client.Response";

  /** {@code HttpRequest.send(CompleteListener)}. */
  static final class Send implements TypeInstrumentation {
    @Override
    public String name() {
      return "jetty12-client";
    }

    @Override
    public List<String> typeNames() {
      return List.of(REQUEST);
    }

    @Override
    public List<AdviceSpec> advice() {
      return List.of(
          AdviceSpec.method(
              "send", SendAdvice.class, "org.eclipse.jetty.client.Response$CompleteListener"));
    }
  }

  /** {@code HttpConnection.normalizeRequest(HttpRequest)}. */
  static final class Normalize implements TypeInstrumentation {
    @Override
    public String name() {
      return "jetty12-client-requests";
    }

    @Override
    public List<String> typeNames() {
      return List.of("org.eclipse.jetty.client.transport.HttpConnection");
    }

    @Override
    public List<AdviceSpec> advice() {
      return List.of(AdviceSpec.method("normalizeRequest", NormalizeAdvice.class, REQUEST));
    }
  }

  /** The {@code notify*} methods of {@code ResponseListeners}. */
  static final class Listeners implements TypeInstrumentation {
    @Override
    public String name() {
      return "jetty12-client-listeners";
    }

    @Override
    public List<String> typeNames() {
      return List.of("org.eclipse.jetty.client.transport.ResponseListeners");
    }

    @Override
    public List<AdviceSpec> advice() {
      return List.of(
          AdviceSpec.method("notifyBegin", ResponseScopeAdvice.class, RESPONSE),
          AdviceSpec.method(
              "notifyHeader",
              ResponseScopeAdvice.class,
              RESPONSE,
              "org.eclipse.jetty.http.HttpField"),
          AdviceSpec.method("notifyHeaders", ResponseScopeAdvice.class, RESPONSE),
          AdviceSpec.method(
              "notifyContentSource",
              ResponseScopeAdvice.class,
              RESPONSE,
              "org.eclipse.jetty.io.Content$Source"),
          AdviceSpec.method("notifySuccess", ResponseScopeAdvice.class, RESPONSE),
          AdviceSpec.method(
              "notifyFailure", ResponseScopeAdvice.class, RESPONSE, "java.lang.Throwable"),
          AdviceSpec.method(
              "notifyComplete", ResultScopeAdvice.class, "org.eclipse.jetty.client.Result"));
    }
  }

  /** The request belongs to the request being served on the sending thread, or to none. */
  public static final class SendAdvice {
    private SendAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object request) {
      OwnedWork.defined(request);
    }
  }

  /** Gives the request about to go on a connection exactly the owed headers it may have. */
  public static final class NormalizeAdvice {
    private NormalizeAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(0) HttpRequest request) {
      if (request == null || Propagation.policy() == null) {
        return;
      }
      Object conversation = request.getConversation();
      HttpFields.Mutable fields = (HttpFields.Mutable) request.getHeaders();
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
          fields.remove(owed.name(i));
        }
      }
    }
  }

  /** Runs a response listener call with the headers of the request that sent the exchange. */
  public static final class ResponseScopeAdvice {
    private ResponseScopeAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(0) Response response) {
      return response == null ? null : OwnedWork.enterDefined(response.getRequest());
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object scope) {
      OwnedWork.exit(scope);
    }
  }

  /** {@link ResponseScopeAdvice} for the listeners of a whole exchange. */
  public static final class ResultScopeAdvice {
    private ResultScopeAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(0) Result result) {
      return result == null ? null : OwnedWork.enterDefined(result.getRequest());
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object scope) {
      OwnedWork.exit(scope);
    }
  }
}
