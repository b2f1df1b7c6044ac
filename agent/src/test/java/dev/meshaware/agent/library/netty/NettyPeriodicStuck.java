package dev.meshaware.agent.library.netty;

import com.sun.net.httpserver.HttpServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.*;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.*;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.util.Queue;
import java.util.concurrent.*;

/**
 * Raw Netty, one event loop, and an application pool. Request X calls scheduleAtFixedRate with a
 * bad period on the event loop (IllegalArgumentException, caught by the app). Afterwards: - A2
 * hands a task to the pool (capturing its id): it must carry A2, as A1's did before X; - P and Q
 * each hand the same stateless task to the pool (P's queued behind a slow task): with periodic=none
 * it is ambiguous (none); it must never carry the other's id.
 */
public class NettyPeriodicStuck {
  static final Queue<String> SEEN = new ConcurrentLinkedQueue<>();
  static final Queue<String> FOR = new ConcurrentLinkedQueue<>();
  static String downstream;
  static final ExecutorService POOL = Executors.newSingleThreadExecutor();
  static final Runnable SHARED = () -> call(FOR.poll()); // stateless: one object

  static void call(String forId) {
    try {
      HttpURLConnection c =
          (HttpURLConnection) new URL(downstream + "?for=" + forId).openConnection();
      c.getResponseCode();
      c.getInputStream().readAllBytes();
      c.disconnect();
    } catch (Exception e) {
      SEEN.add("ERR " + e);
    }
  }

  public static void main(String[] args) throws Exception {
    HttpServer down = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    down.createContext(
        "/",
        ex -> {
          SEEN.add(
              ex.getRequestURI().getQuery()
                  + " rid="
                  + ex.getRequestHeaders().getFirst("x-request-id"));
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    down.start();
    downstream = "http://127.0.0.1:" + down.getAddress().getPort() + "/";

    EventLoopGroup group = new NioEventLoopGroup(1);
    Channel server =
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
                                  ChannelHandlerContext ctx, FullHttpRequest req) {
                                String rid = req.headers().get("x-request-id");
                                String path = new QueryStringDecoder(req.uri()).path();
                                switch (path) {
                                  case "/bad":
                                    try {
                                      ctx.executor()
                                          .scheduleAtFixedRate(
                                              () -> {}, 0, 0, TimeUnit.MILLISECONDS);
                                    } catch (IllegalArgumentException expected) {
                                      SEEN.add("(app caught: " + expected.getMessage() + ")");
                                    }
                                    break;
                                  case "/own":
                                    POOL.execute(() -> call(rid));
                                    break;
                                  case "/shared-slow":
                                    POOL.execute(() -> sleep(300));
                                    FOR.add(rid);
                                    POOL.execute(SHARED);
                                    break;
                                  case "/shared":
                                    FOR.add(rid);
                                    POOL.execute(SHARED);
                                    break;
                                  default:
                                }
                                FullHttpResponse res =
                                    new DefaultFullHttpResponse(
                                        HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                                res.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
                                ctx.writeAndFlush(res);
                              }
                            });
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
    int port = ((InetSocketAddress) server.localAddress()).getPort();

    get(port, "/own", "A1");
    Thread.sleep(200);
    if (!Boolean.getBoolean("skipbad")) get(port, "/bad", "X");
    get(port, "/own", "A2");
    Thread.sleep(200);
    get(port, "/shared-slow", "P");
    get(port, "/shared", "Q");
    Thread.sleep(800);
    System.out.println("downstream saw:");
    boolean wrong = false;
    for (String s : SEEN) {
      String[] p = s.split(" rid=");
      String mark = "";
      if (p.length == 2 && !p[0].equals("for=" + p[1])) {
        mark = p[1].equals("null") ? "   <-- missing" : "   <-- WRONG REQUEST";
        wrong |= !p[1].equals("null");
      }
      System.out.println("  " + s + mark);
    }
    server.close().sync();
    group.shutdownGracefully();
    POOL.shutdown();
    down.stop(0);
    System.exit(wrong ? 1 : 0);
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
    }
  }

  static void get(int port, String path, String rid) throws Exception {
    HttpURLConnection c =
        (HttpURLConnection) new URL("http://127.0.0.1:" + port + path).openConnection();
    c.setRequestProperty("x-request-id", rid);
    c.getResponseCode();
    try (InputStream in = c.getInputStream()) {
      in.readAllBytes();
    }
    c.disconnect();
  }
}
