package dev.meshaware.agent.library.netty;

import dev.meshaware.agent.testing.TestHttp;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.asynchttpclient.AsyncHttpClient;
import org.asynchttpclient.BoundRequestBuilder;
import org.asynchttpclient.Dsl;

/**
 * Netty's server and clients for the shared tests: a raw {@code HttpServerCodec} server whose
 * application handler runs on a {@code DefaultEventExecutorGroup} (where a Netty application puts
 * blocking work), a raw {@code HttpClientCodec} client on its own event loop, and AsyncHttpClient.
 */
public final class NettyHttp implements TestHttp.Library {
  private static EventLoopGroup clientLoop;
  private static AsyncHttpClient ahc;

  @Override
  public Map<String, TestHttp.Server> servers() {
    return Map.of("netty", NettyHttp::serve);
  }

  @Override
  public Map<String, TestHttp.Client> clients() {
    Map<String, TestHttp.Client> clients = new LinkedHashMap<>();
    clients.put("netty", NettyHttp::rawGet);
    clients.put("ahc", NettyHttp::ahcGet);
    return clients;
  }

  private static int serve(Function<String, String> handler) throws Exception {
    EventLoopGroup loop = new NioEventLoopGroup(1);
    DefaultEventExecutorGroup blocking = new DefaultEventExecutorGroup(8);
    Channel server =
        new ServerBootstrap()
            .group(loop)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel channel) {
                    channel
                        .pipeline()
                        .addLast(new HttpServerCodec(), new HttpObjectAggregator(65536))
                        .addLast(blocking, new ApplicationHandler(handler));
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
    return ((java.net.InetSocketAddress) server.localAddress()).getPort();
  }

  /** Answers every request with the handler's text. */
  private static final class ApplicationHandler
      extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final Function<String, String> handler;

    ApplicationHandler(Function<String, String> handler) {
      this.handler = handler;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      String query = new QueryStringDecoder(request.uri()).rawQuery();
      byte[] body = handler.apply(query.isEmpty() ? null : query).getBytes(StandardCharsets.UTF_8);
      FullHttpResponse response =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
      response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
      ctx.writeAndFlush(response);
    }
  }

  private static synchronized EventLoopGroup clientLoop() {
    if (clientLoop == null) {
      clientLoop = new NioEventLoopGroup(1);
    }
    return clientLoop;
  }

  /** One GET on a new connection through Netty's {@code HttpClientCodec}. */
  private static int rawGet(String url, String appSet) throws Exception {
    URI uri = URI.create(url);
    CompletableFuture<Integer> status = new CompletableFuture<>();
    Channel channel =
        new Bootstrap()
            .group(clientLoop())
            .channel(NioSocketChannel.class)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(new HttpClientCodec(), new HttpObjectAggregator(65536))
                        .addLast(
                            new SimpleChannelInboundHandler<FullHttpResponse>() {
                              @Override
                              protected void channelRead0(
                                  ChannelHandlerContext ctx, FullHttpResponse response) {
                                status.complete(response.status().code());
                                ctx.close();
                              }
                            });
                  }
                })
            .connect(uri.getHost(), uri.getPort())
            .sync()
            .channel();
    DefaultFullHttpRequest request =
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri.getRawPath());
    request.headers().set(HttpHeaderNames.HOST, uri.getHost() + ":" + uri.getPort());
    if (appSet != null) {
      request.headers().set(TestHttp.APP_SET_HEADER, appSet);
    }
    channel.writeAndFlush(request).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    return status.get(10, TimeUnit.SECONDS);
  }

  private static synchronized AsyncHttpClient ahc() {
    if (ahc == null) {
      ahc = Dsl.asyncHttpClient(Dsl.config().setFollowRedirect(true));
    }
    return ahc;
  }

  private static int ahcGet(String url, String appSet) throws Exception {
    BoundRequestBuilder request = ahc().prepareGet(url);
    if (appSet != null) {
      request.setHeader(TestHttp.APP_SET_HEADER, appSet);
    }
    return request.execute().get(10, TimeUnit.SECONDS).getStatusCode();
  }
}
