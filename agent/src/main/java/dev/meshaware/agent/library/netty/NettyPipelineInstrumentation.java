package dev.meshaware.agent.library.netty;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import io.netty.channel.ChannelPipeline;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Inbound, where the transport hands an event to a channel's pipeline: the first handler runs with
 * the channel's request current, as {@link NettyContextInstrumentation} does for the others. Here
 * also end what a channel's events end: a client's call once its response was read in full (after
 * the read that completed it), every request of a channel that closed, and failures of a client's
 * call that got no response (diagnostics).
 */
public final class NettyPipelineInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "netty-pipeline";
  }

  @Override
  public List<String> typeNames() {
    return List.of("io.netty.channel.DefaultChannelPipeline");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.method("fireChannelRead", ReadAdvice.class, "java.lang.Object"),
        AdviceSpec.method("fireChannelReadComplete", EventAdvice.class),
        AdviceSpec.method("fireUserEventTriggered", EventAdvice.class, "java.lang.Object"),
        AdviceSpec.method("fireExceptionCaught", FailureAdvice.class, "java.lang.Throwable"),
        AdviceSpec.method("fireChannelInactive", InactiveAdvice.class));
  }

  @Override
  public List<String> auxiliaryTypes() {
    return NettyLibrary.AUXILIARY;
  }

  /** A read from the transport. */
  public static final class ReadAdvice {
    private ReadAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(
        @Advice.This ChannelPipeline pipeline, @Advice.Argument(0) Object msg) {
      return NettyExchanges.enter(pipeline.channel(), msg);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.This ChannelPipeline pipeline, @Advice.Enter Object scope) {
      // the scope closes whatever happens before: an unclosed one leaves the event loop holding
      // this request's headers for every later event that opens none
      try {
        NettyExchanges.afterRead(pipeline.channel());
      } finally {
        NettyExchanges.exit(scope);
      }
    }
  }

  /** An event without a message of its own. */
  public static final class EventAdvice {
    private EventAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.This ChannelPipeline pipeline) {
      return NettyExchanges.enter(pipeline.channel(), null);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object scope) {
      NettyExchanges.exit(scope);
    }
  }

  /** A failure from the transport (a reset, say). */
  public static final class FailureAdvice {
    private FailureAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(
        @Advice.This ChannelPipeline pipeline, @Advice.Argument(0) Throwable failure) {
      NettyExchanges.failed(pipeline.channel(), failure);
      return NettyExchanges.enter(pipeline.channel(), null);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object scope) {
      NettyExchanges.exit(scope);
    }
  }

  /** The channel closed: its handlers hear it as its request, which then ends. */
  public static final class InactiveAdvice {
    private InactiveAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.This ChannelPipeline pipeline) {
      return NettyExchanges.enter(pipeline.channel(), null);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.This ChannelPipeline pipeline, @Advice.Enter Object scope) {
      try {
        NettyExchanges.inactive(pipeline.channel());
      } finally {
        NettyExchanges.exit(scope);
      }
    }
  }
}
