package dev.meshaware.agent.bind;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.bind.KeepAliveCheck;
import dev.meshaware.core.bind.KeepAlivePolicy;
import java.util.List;
import net.bytebuddy.asm.Advice;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Reactor Netty 1.x's HTTP server (Spring WebFlux's default): once {@code bindNow} returns a
 * listening server (Spring Boot's {@code NettyWebServer} binds this way; {@code bindNow()}
 * delegates to this method), its {@code idleTimeout} goes to {@link KeepAliveCheck}. Unset, which
 * is Reactor Netty's default, the server never closes an idle connection. A server bound through
 * the {@code bind()} publisher alone is not seen.
 */
public final class ReactorNettyKeepAliveInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "reactor-netty-keep-alive";
  }

  @Override
  public List<String> typeNames() {
    return List.of("reactor.netty.transport.ServerTransport");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(AdviceSpec.method("bindNow", BindNowAdvice.class, "java.time.Duration"));
  }

  /** Reads the bound HTTP server's port and idle timeout. */
  public static final class BindNowAdvice {
    private BindNowAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object transport, @Advice.Return DisposableServer server) {
      if (KeepAliveCheck.isActive() && transport instanceof HttpServer && server != null) {
        KeepAliveCheck.listening(
            KeepAlivePolicy.Server.REACTOR_NETTY,
            server.port(),
            ((HttpServer) transport).configuration().idleTimeout());
      }
    }
  }
}
