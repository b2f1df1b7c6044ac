package dev.meshaware.agent.library.netty;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.propagation.OwnedWork;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Netty's futures ({@code ChannelFuture}, {@code Promise}): a listener belongs to the request that
 * added it, and runs with exactly that request's headers (or none), never with those of the request
 * whose channel completed the future. Ownership is recorded beside the application's listener
 * object, per future, at {@code addListener}, taken back at {@code removeListener}, and entered
 * where that future notifies that listener; the listener itself is never wrapped. A future already
 * complete ({@code newSucceededFuture}) notifies at once, on the adding request's thread (or in a
 * task it submits), with no registration.
 */
public final class NettyPromiseInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "netty-promise-listeners";
  }

  @Override
  public List<String> typeNames() {
    return List.of("io.netty.util.concurrent.DefaultPromise");
  }

  @Override
  public List<AdviceSpec> advice() {
    String listener = "io.netty.util.concurrent.GenericFutureListener";
    return List.of(
        AdviceSpec.method("addListener0", AddAdvice.class, listener),
        AdviceSpec.method("removeListener0", RemoveAdvice.class, listener),
        AdviceSpec.method(
            "notifyListener0", NotifyAdvice.class, "io.netty.util.concurrent.Future", listener));
  }

  /** The current request (or none) owns the listener. */
  public static final class AddAdvice {
    private AddAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object future, @Advice.Argument(0) Object listener) {
      OwnedWork.listenerAdded(future, listener);
    }
  }

  /** A listener taken back will not be notified. */
  public static final class RemoveAdvice {
    private RemoveAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object future, @Advice.Argument(0) Object listener) {
      OwnedWork.listenerRemoved(future, listener);
    }
  }

  /** Runs one listener as its owner. */
  public static final class NotifyAdvice {
    private NotifyAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(
        @Advice.Argument(0) Object future, @Advice.Argument(1) Object listener) {
      return OwnedWork.enterListener(future, listener);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object scope) {
      OwnedWork.exit(scope);
    }
  }
}
