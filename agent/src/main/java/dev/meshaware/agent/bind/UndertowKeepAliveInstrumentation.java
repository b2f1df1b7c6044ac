package dev.meshaware.agent.bind;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.bind.KeepAliveCheck;
import dev.meshaware.core.bind.KeepAlivePolicy;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import net.bytebuddy.asm.Advice;
import org.xnio.OptionMap;

/**
 * Undertow 2.3 and 2.4 ({@code Undertow.builder()}, and so Spring Boot 3's Undertow): once it has
 * started, the idle timeout of each listener goes to {@link KeepAliveCheck}: the shorter of {@code
 * NO_REQUEST_TIMEOUT} (a connection between requests, {@code HttpReadListener}) and {@code
 * IDLE_TIMEOUT} (any idle connection, {@code HttpOpenListener}); both unset by default, and then
 * Undertow never closes an idle connection.
 */
public final class UndertowKeepAliveInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "undertow-keep-alive";
  }

  @Override
  public List<String> typeNames() {
    return List.of("io.undertow.Undertow");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(AdviceSpec.method("start", StartAdvice.class));
  }

  /** Reads the started server's listeners and idle options. */
  public static final class StartAdvice {
    private StartAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(
        @Advice.This Undertow undertow,
        @Advice.FieldValue("serverOptions") OptionMap serverOptions) {
      if (!KeepAliveCheck.isActive()) {
        return;
      }
      Duration idle =
          KeepAlivePolicy.shorterTimeout(
              serverOptions.get(UndertowOptions.NO_REQUEST_TIMEOUT, -1),
              serverOptions.get(UndertowOptions.IDLE_TIMEOUT, -1));
      for (Undertow.ListenerInfo listener : undertow.getListenerInfo()) {
        SocketAddress address = listener.getAddress();
        if (address instanceof InetSocketAddress) {
          KeepAliveCheck.listening(
              KeepAlivePolicy.Server.UNDERTOW, ((InetSocketAddress) address).getPort(), idle);
        }
      }
    }
  }
}
