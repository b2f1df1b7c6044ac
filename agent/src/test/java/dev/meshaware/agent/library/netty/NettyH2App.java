package dev.meshaware.agent.library.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.CharsetUtil;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.UnorderedThreadPoolEventExecutor;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A raw Netty HTTP/2 server, cleartext with prior knowledge: {@code Http2FrameCodec} and {@code
 * Http2MultiplexHandler} on the connection, each stream a child channel that turns frames into HTTP
 * objects ({@code Http2StreamFrameToHttpObjectCodec}). The stream's handler runs on the event loop
 * and notes the request id meshaware holds current there; it passes the request on to a handler
 * added with an executor group of its own, which calls {@code url} with a blocking client ({@code
 * HttpURLConnection}). {@code /call?url=U&role=A|B&id=I}: A and B of the same id wait for each
 * other in the group (both in flight at once), read the in-flight count, then both call; another
 * role ({@code S}) calls alone. Answers {@code <status>|<current id on the loop>|<in-flight
 * count>|<connection id>}. Prints {@code H2-PORT <port>}.
 */
public final class NettyH2App {
  static final String PORT = "H2-PORT ";
  private static final Map<String, CountDownLatch> ARRIVED = new ConcurrentHashMap<>();
  private static final Map<String, CountDownLatch> COUNTED = new ConcurrentHashMap<>();

  private NettyH2App() {}

  public static void main(String[] args) throws Exception {
    Class.forName("dev.meshaware.core.shutdown.InflightRequests").getMethod("enable").invoke(null);
    EventLoopGroup loop = new NioEventLoopGroup(1);
    // Not pinned to one thread per channel: A blocking one thread never holds B back.
    EventExecutorGroup blocking = new UnorderedThreadPoolEventExecutor(4);
    Channel server =
        new ServerBootstrap()
            .group(loop)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel connection) {
                    connection
                        .pipeline()
                        .addLast(Http2FrameCodecBuilder.forServer().build())
                        .addLast(
                            new Http2MultiplexHandler(
                                new ChannelInitializer<Http2StreamChannel>() {
                                  @Override
                                  protected void initChannel(Http2StreamChannel stream) {
                                    stream
                                        .pipeline()
                                        .addLast(new Http2StreamFrameToHttpObjectCodec(true))
                                        .addLast(new HttpObjectAggregator(1 << 16))
                                        .addLast(new OnTheLoop())
                                        .addLast(blocking, new Blocking());
                                  }
                                }));
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
    System.out.println(PORT + ((InetSocketAddress) server.localAddress()).getPort());
  }

  /** The stream's own handler, on the event loop. */
  static final class OnTheLoop extends SimpleChannelInboundHandler<FullHttpRequest> {
    OnTheLoop() {
      super(false);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      request.headers().set("x-seen-on-loop", currentRequestId());
      ctx.fireChannelRead(request);
    }
  }

  /** Calls out with a blocking client, on a thread of the executor group. */
  static final class Blocking extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request)
        throws Exception {
      QueryStringDecoder query = new QueryStringDecoder(request.uri());
      String answer;
      if (query.path().equals("/inflight")) {
        answer = "-|-|" + inflight() + "|-";
      } else {
        String id = param(query, "id");
        // Both streams meet here, read the in-flight count, and only then call out: a stream that
        // called and answered first would no longer count when the other read it.
        boolean pair = "A".equals(param(query, "role")) || "B".equals(param(query, "role"));
        if (pair) {
          meet(ARRIVED.computeIfAbsent(id, k -> new CountDownLatch(2)), "the other stream");
        }
        String inflight = inflight();
        if (pair) {
          meet(COUNTED.computeIfAbsent(id, k -> new CountDownLatch(2)), "the other's count");
        }
        HttpURLConnection call = (HttpURLConnection) new URL(param(query, "url")).openConnection();
        int status = call.getResponseCode();
        call.getInputStream().readAllBytes();
        answer =
            status
                + "|"
                + request.headers().get("x-seen-on-loop")
                + "|"
                + inflight
                + "|"
                + ctx.channel().parent().id().asShortText();
      }
      DefaultFullHttpResponse response =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              HttpResponseStatus.OK,
              Unpooled.copiedBuffer(answer, CharsetUtil.UTF_8));
      response.headers().set("content-length", response.content().readableBytes());
      ctx.writeAndFlush(response);
    }
  }

  /**
   * The x-request-id of the request meshaware holds current on this thread (core, reflectively).
   */
  static String currentRequestId() {
    try {
      Object headers =
          Class.forName("dev.meshaware.core.propagation.CurrentHeaders")
              .getMethod("get")
              .invoke(null);
      return headers == null
          ? "none"
          : String.valueOf(
              headers.getClass().getMethod("get", String.class).invoke(headers, "x-request-id"));
    } catch (ReflectiveOperationException e) {
      return e.toString();
    }
  }

  private static String inflight() {
    try {
      return String.valueOf(
          Class.forName("dev.meshaware.core.shutdown.InflightRequests")
              .getMethod("count")
              .invoke(null));
    } catch (ReflectiveOperationException e) {
      return e.toString();
    }
  }

  private static void meet(CountDownLatch both, String what) throws InterruptedException {
    both.countDown();
    if (!both.await(20, TimeUnit.SECONDS)) {
      throw new IllegalStateException(what + " never came");
    }
  }

  private static String param(QueryStringDecoder query, String name) {
    List<String> values = query.parameters().get(name);
    return values == null ? null : values.get(0);
  }
}
