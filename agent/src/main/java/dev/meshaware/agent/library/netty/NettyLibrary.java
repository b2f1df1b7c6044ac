package dev.meshaware.agent.library.netty;

import dev.meshaware.agent.instrument.Library;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import java.util.List;

/**
 * Netty 4.1 and 4.2 HTTP, at the level of Netty's own pipeline: raw servers ({@code
 * HttpServerCodec}, HTTP/2 through Netty's codecs that turn streams into {@code HttpRequest}s), raw
 * clients ({@code HttpClientCodec}) and clients built on them (AsyncHttpClient 2.12 and 3.0),
 * listeners of Netty's futures. Channels of Reactor Netty are left to its own instrumentation.
 */
public final class NettyLibrary implements Library {
  /** Netty's HTTP codec must be visible where the advice is woven. */
  static final List<String> REQUIRED =
      List.of(
          "io.netty.handler.codec.http.HttpRequest",
          "io.netty.util.AttributeKey",
          "io.netty.util.AttributeMap#hasAttr");

  /** Hook classes defined in Netty's class loader (they use Netty's types). */
  static final List<String> AUXILIARY =
      List.of(
          "dev.meshaware.agent.library.netty.NettyExchanges",
          "dev.meshaware.agent.library.netty.ChannelExchange",
          "dev.meshaware.agent.library.netty.NettyClientDiagnostics",
          "dev.meshaware.agent.library.netty.HostHeader");

  @Override
  public String name() {
    return "netty";
  }

  @Override
  public String covers() {
    return "Netty 4.1 and 4.2 HTTP servers and clients, AsyncHttpClient 2.12 and 3.0";
  }

  /**
   * The encoders are listed here, not under {@link #outbound()}, although they also add the headers
   * to a client's calls: a server's request ends at its response's end, which the shutdown drain
   * needs even when header forwarding is off (then only inbound instrumentation is woven).
   */
  @Override
  public List<TypeInstrumentation> inbound() {
    return List.of(
        new NettyPipelineInstrumentation(),
        new NettyContextInstrumentation(),
        new NettyHttpEncoderInstrumentation());
  }

  @Override
  public List<TypeInstrumentation> threadHops() {
    return List.of(new NettyPromiseInstrumentation());
  }
}
