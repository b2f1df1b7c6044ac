package dev.meshaware.agent.library.netty;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import io.netty.channel.ChannelHandlerContext;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Inbound, handler by handler: every {@code ctx.fire*} that passes an event to the next handler of
 * a pipeline, in Netty 4.1 and 4.2 alike (4.2 inlines the per-handler invocation into these
 * methods). A decoded {@code HttpRequest} passed on becomes the channel's request; the next handler
 * runs with the channel's request current (a client channel's: the request that wrote its call),
 * and what was current before comes back when it returns. Handlers added with an executor group of
 * their own are invoked through a task submitted here, which the work-ownership weaving carries.
 */
public final class NettyContextInstrumentation implements TypeInstrumentation {
  static final String CONTEXT = "io.netty.channel.AbstractChannelHandlerContext";

  @Override
  public String name() {
    return "netty-pipeline-handlers";
  }

  @Override
  public List<String> typeNames() {
    return List.of(CONTEXT);
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.method("fireChannelRead", MessageAdvice.class, "java.lang.Object"),
        AdviceSpec.method("fireChannelReadComplete", EventAdvice.class),
        AdviceSpec.method("fireUserEventTriggered", EventAdvice.class, "java.lang.Object"),
        AdviceSpec.method("fireExceptionCaught", EventAdvice.class, "java.lang.Throwable"),
        AdviceSpec.method("close", CloseAdvice.class, "io.netty.channel.ChannelPromise"));
  }

  @Override
  public List<String> auxiliaryTypes() {
    return NettyLibrary.AUXILIARY;
  }

  /** A message passed to the next handler. */
  public static final class MessageAdvice {
    private MessageAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(
        @Advice.This ChannelHandlerContext context, @Advice.Argument(0) Object msg) {
      return NettyExchanges.enter(context.channel(), msg);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object scope) {
      NettyExchanges.exit(scope);
    }
  }

  /** An event without a message of its own passed to the next handler. */
  public static final class EventAdvice {
    private EventAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.This ChannelHandlerContext context) {
      return NettyExchanges.enter(context.channel(), null);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object scope) {
      NettyExchanges.exit(scope);
    }
  }

  /** A handler or the application closes the channel. */
  public static final class CloseAdvice {
    private CloseAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This ChannelHandlerContext context) {
      NettyExchanges.closing(context.channel());
    }
  }
}
