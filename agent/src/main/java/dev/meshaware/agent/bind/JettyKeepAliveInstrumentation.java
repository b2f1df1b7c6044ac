package dev.meshaware.agent.bind;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.bind.KeepAliveCheck;
import dev.meshaware.core.bind.KeepAlivePolicy;
import java.time.Duration;
import java.util.List;
import net.bytebuddy.asm.Advice;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Jetty 10, 11 and 12: once a {@code ServerConnector} has opened its socket, its idle timeout (30 s
 * unless set, {@code AbstractConnector}) goes to {@link KeepAliveCheck}.
 */
public final class JettyKeepAliveInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "jetty-keep-alive";
  }

  @Override
  public List<String> typeNames() {
    return List.of("org.eclipse.jetty.server.ServerConnector");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(AdviceSpec.method("open", OpenAdvice.class));
  }

  /** Reads the opened connector's port and idle timeout. */
  public static final class OpenAdvice {
    private OpenAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This ServerConnector connector) {
      if (KeepAliveCheck.isActive()) {
        KeepAliveCheck.listening(
            KeepAlivePolicy.Server.JETTY,
            connector.getLocalPort(),
            Duration.ofMillis(connector.getIdleTimeout()));
      }
    }
  }
}
