package dev.meshaware.agent.library.netty;

import dev.meshaware.agent.testing.CallingService;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.CharsetUtil;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.asynchttpclient.AsyncHttpClient;
import org.asynchttpclient.Dsl;
import org.asynchttpclient.Response;

/**
 * Calls out through a raw Netty client ({@code netty}) and AsyncHttpClient ({@code ahc}) as an
 * application that reads the answer does; see {@link CallingService}.
 */
public final class NettyCallingApp {
  private static final EventLoopGroup LOOP = new NioEventLoopGroup(1);

  /**
   * No retries: AsyncHttpClient retries a reset or closed call on a new connection by default, and
   * each attempt is an exchange of its own (counted, its line subject to the repeat limit).
   */
  private static final AsyncHttpClient AHC =
      Dsl.asyncHttpClient(Dsl.config().setMaxRequestRetry(0));

  private NettyCallingApp() {}

  public static void main(String[] args) throws Exception {
    CallingService.serve(
        (client, url) -> {
          CompletableFuture<String> answer = client.equals("ahc") ? ahc(url) : netty(url);
          try {
            return answer.get(10, TimeUnit.SECONDS);
          } catch (ExecutionException e) {
            return "error " + e.getCause();
          }
        });
  }

  private static CompletableFuture<String> ahc(String url) {
    return AHC.prepareGet(url)
        .execute()
        .toCompletableFuture()
        .thenApply((Response r) -> r.getStatusCode() + " " + r.getResponseBody());
  }

  /** The application hears of a failure before any response through its own handler. */
  private static CompletableFuture<String> netty(String url) {
    URI uri = URI.create(url);
    CompletableFuture<String> answer = new CompletableFuture<>();
    new Bootstrap()
        .group(LOOP)
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
                            answer.complete(
                                response.status().code()
                                    + " "
                                    + response.content().toString(CharsetUtil.UTF_8));
                            ctx.close();
                          }

                          @Override
                          public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                            answer.completeExceptionally(cause);
                            ctx.close();
                          }

                          @Override
                          public void channelInactive(ChannelHandlerContext ctx) {
                            answer.completeExceptionally(new IOException("closed, no response"));
                          }
                        });
              }
            })
        .connect(uri.getHost(), uri.getPort())
        .addListener(
            (io.netty.channel.ChannelFuture done) -> {
              if (!done.isSuccess()) {
                answer.completeExceptionally(done.cause());
                return;
              }
              DefaultFullHttpRequest request =
                  new DefaultFullHttpRequest(
                      HttpVersion.HTTP_1_1, HttpMethod.GET, uri.getRawPath());
              request.headers().set("host", uri.getHost() + ":" + uri.getPort());
              done.channel().writeAndFlush(request);
            });
    return answer;
  }
}
