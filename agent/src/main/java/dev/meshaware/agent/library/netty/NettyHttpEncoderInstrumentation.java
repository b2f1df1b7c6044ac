package dev.meshaware.agent.library.netty;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpObjectEncoder;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Netty's HTTP/1 encoders, on the channel's event loop. A client's ({@code HttpClientCodec}, {@code
 * HttpRequestEncoder}): each call written gets the current request's headers it lacks, unless its
 * destination (its {@code Host}, else the connection's address) is excluded; the current request
 * owns the response's callbacks. A write from another thread reaches the encoder in a task the
 * work-ownership weaving carries, so "current" is the writer's request. A server's ({@code
 * HttpServerCodec}, {@code HttpResponseEncoder}): the end of a response ends the request.
 */
public final class NettyHttpEncoderInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "netty-http-encoder";
  }

  @Override
  public List<String> typeNames() {
    return List.of("io.netty.handler.codec.http.HttpObjectEncoder");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.method(
            "write",
            WriteAdvice.class,
            "io.netty.channel.ChannelHandlerContext",
            "java.lang.Object",
            "io.netty.channel.ChannelPromise"));
  }

  @Override
  public List<String> auxiliaryTypes() {
    return NettyLibrary.AUXILIARY;
  }

  /** Adds the headers to a call; ends a request once its response's end was written. */
  public static final class WriteAdvice {
    private WriteAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static boolean enter(
        @Advice.This HttpObjectEncoder<?> encoder,
        @Advice.Argument(0) ChannelHandlerContext context,
        @Advice.Argument(value = 1, readOnly = false) Object msg) {
      if (msg instanceof HttpRequest && encoder instanceof HttpRequestEncoder) {
        HttpRequest carrying = NettyExchanges.writing(context.channel(), (HttpRequest) msg);
        if (carrying != null) {
          msg = carrying; // the application's request object stays as it was
        }
        return false;
      }
      return encoder instanceof HttpResponseEncoder && NettyExchanges.endsResponse(msg);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.Enter boolean ends, @Advice.Argument(0) ChannelHandlerContext context) {
      if (ends) {
        NettyExchanges.responded(context.channel());
      }
    }
  }
}
