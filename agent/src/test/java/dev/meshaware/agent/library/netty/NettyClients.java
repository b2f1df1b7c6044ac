package dev.meshaware.agent.library.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.asynchttpclient.AsyncHttpClient;
import org.asynchttpclient.BoundRequestBuilder;
import org.asynchttpclient.Dsl;

/**
 * The two clients of {@link NettyApp}: a raw Netty client on the server's own event loop, its
 * response handled in the client channel's handler, and AsyncHttpClient (following redirects).
 */
final class NettyClients {
  private final EventLoopGroup loop;
  private final AsyncHttpClient ahc =
      Dsl.asyncHttpClient(Dsl.config().setFollowRedirect(true).setMaxRedirects(5));

  NettyClients(EventLoopGroup loop) {
    this.loop = loop;
  }

  /**
   * GETs {@code url} with {@code client} ({@code netty} or {@code ahc}), the header {@code
   * end-user: <appSet>} set by the application when not null; {@code then} gets the status, on the
   * client's event loop (for {@code netty}: inside the client channel's response handler).
   */
  void get(String client, String url, String appSet, Consumer<Integer> then) {
    if (client.equals("ahc")) {
      BoundRequestBuilder request = ahc.prepareGet(url);
      if (appSet != null) {
        request.setHeader("end-user", appSet);
      }
      CompletableFuture<org.asynchttpclient.Response> future =
          request.execute().toCompletableFuture();
      future.whenComplete(
          (response, failure) -> then.accept(failure == null ? response.getStatusCode() : -1));
      return;
    }
    URI uri = URI.create(url);
    Bootstrap bootstrap =
        new Bootstrap()
            .group(loop)
            .channel(NioSocketChannel.class)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel channel) {
                    channel
                        .pipeline()
                        .addLast(new HttpClientCodec())
                        .addLast(new HttpObjectAggregator(1 << 16))
                        .addLast(
                            new SimpleChannelInboundHandler<FullHttpResponse>() {
                              @Override
                              protected void channelRead0(
                                  ChannelHandlerContext ctx, FullHttpResponse response) {
                                ctx.close();
                                then.accept(response.status().code());
                              }
                            });
                  }
                });
    ChannelFuture connect = bootstrap.connect(uri.getHost(), uri.getPort());
    connect.addListener(
        (ChannelFuture done) -> {
          if (!done.isSuccess()) {
            then.accept(-1);
            return;
          }
          DefaultFullHttpRequest request =
              new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri.getRawPath());
          request.headers().set("host", uri.getHost() + ":" + uri.getPort());
          if (appSet != null) {
            request.headers().set("end-user", appSet);
          }
          done.channel().writeAndFlush(request);
        });
  }
}
