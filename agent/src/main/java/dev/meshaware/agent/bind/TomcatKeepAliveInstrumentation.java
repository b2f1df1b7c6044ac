package dev.meshaware.agent.bind;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.bind.KeepAliveCheck;
import dev.meshaware.core.bind.KeepAlivePolicy;
import java.time.Duration;
import java.util.List;
import net.bytebuddy.asm.Advice;
import org.apache.coyote.AbstractProtocol;
import org.apache.coyote.http11.AbstractHttp11Protocol;

/**
 * Tomcat 9, 10 and 11: once an HTTP connector's protocol has started (its socket listens), its idle
 * keep-alive timeout goes to {@link KeepAliveCheck}. Tomcat's {@code keepAliveTimeout} falls back
 * to {@code connectionTimeout} when unset ({@code AbstractEndpoint.getKeepAliveTimeout}), which
 * embedded Tomcat sets to 60 s ({@code AbstractHttp11Protocol}'s constructor) and Tomcat's own
 * {@code server.xml} to 20 s; a negative value never times out.
 */
public final class TomcatKeepAliveInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "tomcat-keep-alive";
  }

  @Override
  public List<String> typeNames() {
    return List.of("org.apache.coyote.AbstractProtocol");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(AdviceSpec.method("start", StartAdvice.class));
  }

  /** Reads the started protocol's port and idle timeout. */
  public static final class StartAdvice {
    private StartAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This AbstractProtocol<?> protocol) {
      if (KeepAliveCheck.isActive() && protocol instanceof AbstractHttp11Protocol) {
        int port = protocol.getLocalPort() > 0 ? protocol.getLocalPort() : protocol.getPort();
        KeepAliveCheck.listening(
            KeepAlivePolicy.Server.TOMCAT, port, Duration.ofMillis(protocol.getKeepAliveTimeout()));
      }
    }
  }
}
