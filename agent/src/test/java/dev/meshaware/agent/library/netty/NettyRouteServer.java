package dev.meshaware.agent.library.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;

/**
 * A raw Netty HTTP server on ONE event loop, on loopback, for small programs: each request goes to
 * {@link Route} with its path and {@code x-request-id}, then is answered 200 at once.
 */
final class NettyRouteServer implements AutoCloseable {
  /** What the program does for one request. */
  interface Route {
    void handle(ChannelHandlerContext ctx, String path, String requestId);
  }

  private final EventLoopGroup group;
  private final Channel channel;

  private NettyRouteServer(EventLoopGroup group, Channel channel) {
    this.group = group;
    this.channel = channel;
  }

  static NettyRouteServer start(Route route) throws InterruptedException {
    EventLoopGroup group = new NioEventLoopGroup(1);
    Channel channel =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(
                            new HttpServerCodec(),
                            new HttpObjectAggregator(65536),
                            new SimpleChannelInboundHandler<FullHttpRequest>() {
                              @Override
                              protected void channelRead0(
                                  ChannelHandlerContext ctx, FullHttpRequest request) {
                                route.handle(
                                    ctx,
                                    new QueryStringDecoder(request.uri()).path(),
                                    request.headers().get("x-request-id"));
                                FullHttpResponse response =
                                    new DefaultFullHttpResponse(
                                        HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                                response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
                                ctx.writeAndFlush(response);
                              }
                            });
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
    return new NettyRouteServer(group, channel);
  }

  int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() throws InterruptedException {
    channel.close().sync();
    group.shutdownGracefully();
  }
}
