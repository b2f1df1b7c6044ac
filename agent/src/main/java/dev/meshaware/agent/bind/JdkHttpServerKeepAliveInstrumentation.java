package dev.meshaware.agent.bind;

import com.sun.net.httpserver.HttpServer;
import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.bind.KeepAliveCheck;
import dev.meshaware.core.bind.KeepAlivePolicy;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * The JDK's {@code com.sun.net.httpserver} (HTTP and HTTPS): once a server has started, its idle
 * keep-alive timeout goes to {@link KeepAliveCheck}. The JDK has one for all its servers, {@code
 * sun.net.httpserver.idleInterval} ({@link KeepAlivePolicy#jdkHttpServerIdleTimeout()}).
 */
public final class JdkHttpServerKeepAliveInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "jdk-httpserver-keep-alive";
  }

  @Override
  public List<String> typeNames() {
    return List.of("sun.net.httpserver.HttpServerImpl", "sun.net.httpserver.HttpsServerImpl");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(AdviceSpec.method("start", StartAdvice.class));
  }

  /** Reads the started server's port. */
  public static final class StartAdvice {
    private StartAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This HttpServer server) {
      if (KeepAliveCheck.isActive()) {
        KeepAliveCheck.listening(
            KeepAlivePolicy.Server.JDK_HTTP_SERVER,
            server.getAddress().getPort(),
            KeepAlivePolicy.jdkHttpServerIdleTimeout());
      }
    }
  }
}
