package dev.meshaware.agent.library.vertx;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.propagation.CurrentHeaders;
import dev.meshaware.core.propagation.HeaderPolicy;
import dev.meshaware.core.propagation.Propagation;
import io.netty.handler.codec.http.HttpRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Inbound: Vert.x's HTTP/1 server connection ({@code Http1xServerConnection} in 4.5 and 5.0, {@code
 * http1.Http1ServerConnection} from 5.1, of the same shape). Every message of a request (its head,
 * each piece of its body, its end) reaches the connection's {@code handleMessage} on the event
 * loop, which calls the application's request, body and end handlers there, or hands them to the
 * request's context (a worker context queues a task, which then belongs to this request). The
 * advice makes the request current for that stretch, so a body or end handler called later (Vert.x
 * Web's {@code BodyHandler}, a {@code Router} resuming after it) sees its own request, whatever
 * arrived in between on the same event loop.
 *
 * <p>A pipelined request waits until the response before it is sent; {@code handleNext} then starts
 * it from the previous response's completion, so it is made current there as well.
 *
 * <p>The request is counted for the drain while these run (once: a Netty-level scope already open
 * on the thread has counted it).
 */
public final class VertxServerInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "vertx-server";
  }

  @Override
  public List<String> typeNames() {
    return List.of(
        "io.vertx.core.http.impl.Http1xServerConnection", // 4.5 and 5.0
        "io.vertx.core.http.impl.http1.Http1ServerConnection"); // 5.1
  }

  @Override
  public String presentWith() {
    return "io.vertx.core.http.HttpServer";
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.method("handleMessage", MessageAdvice.class, "java.lang.Object"),
        AdviceSpec.method(
                "handleNext", NextAdvice.class, "io.vertx.core.http.impl.Http1xServerRequest")
            .asAlternative(),
        AdviceSpec.method(
                "handleNext", NextAdvice.class, "io.vertx.core.http.impl.http1.Http1ServerRequest")
            .asAlternative());
  }

  /** The request a message belongs to: the new one for a head, the one in progress otherwise. */
  public static final class MessageAdvice {
    private MessageAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static CurrentHeaders.Scope enter(
        @Advice.Argument(0) Object message,
        @Advice.FieldValue("requestInProgress") Object inProgress) {
      HeaderPolicy policy = Propagation.policy();
      if (policy == null) {
        return null;
      }
      String[] raw = new String[policy.nameCount()];
      if (message instanceof HttpRequest) {
        if (Propagation.isCurrent(message)) {
          return null;
        }
        io.netty.handler.codec.http.HttpHeaders headers = ((HttpRequest) message).headers();
        for (int i = 0; i < raw.length; i++) {
          raw[i] = headers.get(policy.name(i));
        }
        return Propagation.enterInbound(raw, message);
      }
      if (!(inProgress instanceof HttpServerRequest) || Propagation.isCurrent(inProgress)) {
        return null;
      }
      MultiMap headers = ((HttpServerRequest) inProgress).headers();
      for (int i = 0; i < raw.length; i++) {
        raw[i] = headers.get(policy.name(i));
      }
      return Propagation.enterInbound(raw, inProgress);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter CurrentHeaders.Scope scope) {
      Propagation.exitInbound(scope);
    }
  }

  /** A pipelined request started after the previous response. */
  public static final class NextAdvice {
    private NextAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static CurrentHeaders.Scope enter(@Advice.Argument(0) Object next) {
      HeaderPolicy policy = Propagation.policy();
      if (policy == null || !(next instanceof HttpServerRequest)) {
        return null;
      }
      MultiMap headers = ((HttpServerRequest) next).headers();
      String[] raw = new String[policy.nameCount()];
      for (int i = 0; i < raw.length; i++) {
        raw[i] = headers.get(policy.name(i));
      }
      return Propagation.enterInbound(raw, next);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter CurrentHeaders.Scope scope) {
      Propagation.exitInbound(scope);
    }
  }
}
