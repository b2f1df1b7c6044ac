package dev.meshaware.agent.library.vertx;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.Propagation;
import io.vertx.core.MultiMap;
import io.vertx.core.net.HostAndPort;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Outbound: Vert.x's {@code HttpClient}, and {@code WebClient}, which sends through it. Each
 * request a client sends, a redirect it follows included, is written from one {@code
 * HttpRequestHead} made when the application's request writes its head ({@code send}, {@code end},
 * the first {@code write}), on the thread that does so: the owner of the callback that obtained the
 * request (see {@link VertxFutureInstrumentation}), whichever event loop or connection serves it.
 * The head's constructor changed in 5.1 (a scheme first, the authority a {@code HostAndPort}): one
 * advice per shape. The advice gives the head a copy of the request's headers with the current
 * request's trace headers the application did not set, when the head's own destination may have
 * them; the application's {@code headers()} stay as it left them.
 */
public final class VertxClientInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "vertx-client";
  }

  @Override
  public List<String> typeNames() {
    return List.of("io.vertx.core.http.impl.HttpRequestHead");
  }

  @Override
  public String presentWith() {
    return "io.vertx.core.http.HttpClient";
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.constructor(
                HeadAdvice.class,
                "io.vertx.core.http.HttpMethod",
                "java.lang.String",
                "io.vertx.core.MultiMap",
                "java.lang.String",
                "java.lang.String",
                "java.lang.String")
            .asAlternative(),
        AdviceSpec.constructor(
                HeadAdvice51.class,
                "java.lang.String",
                "io.vertx.core.http.HttpMethod",
                "java.lang.String",
                "io.vertx.core.MultiMap",
                "io.vertx.core.net.HostAndPort",
                "java.lang.String",
                "java.lang.String")
            .asAlternative());
  }

  @Override
  public List<String> auxiliaryTypes() {
    return List.of("dev.meshaware.agent.library.vertx.VertxOwedHeaders");
  }

  /**
   * Swaps in the headers with what the head owes its destination (4.5 and 5.0: the authority as
   * {@code host[:port]}, without the scheme's default port).
   */
  public static final class HeadAdvice {
    private HeadAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(
        @Advice.Argument(value = 2, readOnly = false) MultiMap headers,
        @Advice.Argument(3) String authority,
        @Advice.Argument(4) String absoluteUri) {
      CapturedHeaders carried = Propagation.forCall();
      if (carried != null) {
        headers = VertxOwedHeaders.added(headers, carried, authority, absoluteUri);
      }
    }
  }

  /** As {@link HeadAdvice}, from 5.1 on: the authority is a {@code HostAndPort}. */
  public static final class HeadAdvice51 {
    private HeadAdvice51() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(
        @Advice.Argument(value = 3, readOnly = false) MultiMap headers,
        @Advice.Argument(4) HostAndPort authority,
        @Advice.Argument(5) String absoluteUri) {
      CapturedHeaders carried = Propagation.forCall();
      if (carried != null && authority != null) {
        headers =
            VertxOwedHeaders.added(
                headers, carried, authority.host(), authority.port(), absoluteUri);
      }
    }
  }
}
