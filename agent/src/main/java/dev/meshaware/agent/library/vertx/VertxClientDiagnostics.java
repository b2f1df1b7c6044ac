package dev.meshaware.agent.library.vertx;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.diagnostics.MeshDiagnostics;
import dev.meshaware.core.diagnostics.OutboundExchange;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Diagnostics for Vert.x's {@code HttpClient} (and {@code WebClient}, which sends through it), in
 * 4.5 and 5, over HTTP/1 and HTTP/2 alike: every response head of a request (each redirect hop is a
 * request of its own) passes {@code HttpClientRequestBase.handleResponse} before the application's
 * handlers see it, and every failure of a request (a reset, a close) passes {@code
 * handleException}; one that comes before the response head is a call with no HTTP answer. Status
 * and headers only: the body is the application's stream, never read here. Netty's client
 * diagnostics leave Vert.x's channels to this, so each failure is one line.
 */
public final class VertxClientDiagnostics implements TypeInstrumentation {
  static final String CLIENT = "vertx-client";

  @Override
  public String name() {
    return "vertx-client-diagnostics";
  }

  @Override
  public List<String> typeNames() {
    return List.of("io.vertx.core.http.impl.HttpClientRequestBase");
  }

  @Override
  public String presentWith() {
    return "io.vertx.core.http.HttpClient";
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.method(
            "handleResponse", ResponseAdvice.class, "io.vertx.core.http.HttpClientResponse"),
        AdviceSpec.method("handleException", FailureAdvice.class, "java.lang.Throwable"));
  }

  @Override
  public List<String> auxiliaryTypes() {
    return List.of("dev.meshaware.agent.library.vertx.VertxFailedCall");
  }

  /** Records a response head a sidecar may have made. */
  public static final class ResponseAdvice {
    private ResponseAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(
        @Advice.This HttpClientRequest request, @Advice.Argument(0) HttpClientResponse response) {
      OutboundExchange record =
          response == null ? null : MeshDiagnostics.response(CLIENT, response.statusCode());
      if (record != null) {
        VertxFailedCall.answered(record, request, response);
      }
    }
  }

  /** Records a request that failed before its response head arrived. */
  public static final class FailureAdvice {
    private FailureAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(
        @Advice.This HttpClientRequest request,
        @Advice.Argument(0) Throwable failure,
        @Advice.FieldValue("responsePromise") Object responsePromise) {
      if (responsePromise instanceof Promise
          && !((Promise<?>) responsePromise).future().isComplete()) {
        OutboundExchange record = MeshDiagnostics.failure(CLIENT, failure);
        if (record != null) {
          VertxFailedCall.describe(record, request);
          MeshDiagnostics.record(record);
        }
      }
    }
  }
}
