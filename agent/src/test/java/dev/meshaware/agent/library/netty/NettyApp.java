package dev.meshaware.agent.library.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.CharsetUtil;
import io.netty.util.concurrent.Promise;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw Netty HTTP server whose handler calls a downstream recorder, everything on ONE event loop
 * thread (server, raw client). Prints {@code NETTY-PORT <port>}; reads commands on standard input:
 * {@code idle <tag>} opens a plain connection whose {@code channelActive} (an I/O event of no
 * request) makes a call tagged {@code tag}. Requests: {@code /call?client=&url=&appset=&chain=}
 * calls {@code url} (and, with {@code chain}, {@code url}-2 from the first call's response
 * handler); {@code /pair?role=A|B&id=&client=&url=}: A waits, without blocking the loop, on a
 * promise B completes, then calls; {@code /inflight} answers with the drain's in-flight count.
 */
public final class NettyApp {
  static final String PORT = "NETTY-PORT ";
  private static final Map<String, Promise<Void>> PAIRS = new ConcurrentHashMap<>();
  private static final AtomicInteger IDLE = new AtomicInteger();
  private static volatile String idleUrl;

  private NettyApp() {}

  public static void main(String[] args) throws Exception {
    // The drain's count is on only in a pod; this app reads it, so it turns counting on itself.
    Class.forName("dev.meshaware.core.shutdown.InflightRequests").getMethod("enable").invoke(null);
    EventLoopGroup loop = new NioEventLoopGroup(1);
    NettyClients clients = new NettyClients(loop);
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
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(1 << 16))
                        .addLast(new Handler(clients))
                        .addLast(new IdleCaller(clients));
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
    int port = ((java.net.InetSocketAddress) server.localAddress()).getPort();
    System.out.println(PORT + port);
    java.io.BufferedReader in =
        new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
    for (String line; (line = in.readLine()) != null; ) {
      String[] command = line.split(" ");
      if (command[0].equals("idle")) {
        idleUrl = command[1];
        new Socket("127.0.0.1", port).close();
      }
    }
    System.exit(0);
  }

  /** Makes a call when a connection opens: no request is being served then. */
  static final class IdleCaller extends ChannelInboundHandlerAdapter {
    private final NettyClients clients;

    IdleCaller(NettyClients clients) {
      this.clients = clients;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      String url = idleUrl;
      if (url != null) {
        idleUrl = null;
        clients.get("netty", url, null, status -> System.out.println("IDLE " + status));
      }
      ctx.fireChannelActive();
    }
  }

  static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final NettyClients clients;

    Handler(NettyClients clients) {
      this.clients = clients;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      QueryStringDecoder query = new QueryStringDecoder(request.uri());
      String client = param(query, "client");
      String url = param(query, "url");
      switch (query.path()) {
        case "/inflight":
          respond(ctx, inflight());
          break;
        case "/call":
          clients.get(
              client,
              url,
              param(query, "appset"),
              status -> {
                if (param(query, "chain") == null) {
                  respond(ctx, "" + status);
                } else {
                  clients.get(
                      client, url + "-2", null, second -> respond(ctx, status + "," + second));
                }
              });
          break;
        case "/pair":
          Promise<Void> pair =
              PAIRS.computeIfAbsent(param(query, "id"), id -> ctx.executor().newPromise());
          if (param(query, "role").equals("A")) {
            pair.addListener(
                done -> clients.get(client, url + "-A", null, status -> respond(ctx, "" + status)));
          } else {
            clients.get(client, url + "-B", null, status -> respond(ctx, "" + status));
            pair.trySuccess(null);
          }
          break;
        default:
          respond(ctx, "unknown " + query.path());
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

    private static String param(QueryStringDecoder query, String name) {
      List<String> values = query.parameters().get(name);
      return values == null ? null : values.get(0);
    }

    private static void respond(ChannelHandlerContext ctx, String body) {
      if (!ctx.executor().inEventLoop()) {
        ctx.executor().execute(() -> respond(ctx, body));
        return;
      }
      DefaultFullHttpResponse response =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              HttpResponseStatus.OK,
              Unpooled.copiedBuffer(body, CharsetUtil.UTF_8));
      response.headers().set("content-length", response.content().readableBytes());
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }
  }
}
