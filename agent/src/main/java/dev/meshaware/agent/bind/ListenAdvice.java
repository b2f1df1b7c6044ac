package dev.meshaware.agent.bind;

import dev.meshaware.core.bind.BindAddressCheck;
import java.net.BindException;
import java.net.SocketAddress;
import net.bytebuddy.asm.Advice;

/**
 * Around a server-socket bind whose first argument is the requested address. In {@code fail} mode
 * the enter advice returns the refusal, which skips the bind, and the exit advice throws it from
 * the bind method; in {@code warn} mode the exit advice reports a bad address once the bind
 * succeeded. Inlined into JDK and Netty classes: it may use only the JDK and core.
 */
public final class ListenAdvice {
  private ListenAdvice() {}

  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
  public static BindException enter(@Advice.Argument(0) SocketAddress requested) {
    return BindAddressCheck.refusal(requested);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Argument(0) SocketAddress requested,
      @Advice.Enter BindException refused,
      @Advice.Thrown(readOnly = false) Throwable thrown) {
    if (refused != null) {
      thrown = refused;
    } else if (thrown == null) {
      BindAddressCheck.bound(requested);
    }
  }
}
