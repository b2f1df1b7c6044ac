package dev.meshaware.agent.library.netty;

import com.sun.net.httpserver.HttpServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.*;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.*;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import io.netty.util.concurrent.Promise;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Raw Netty (HttpServerCodec), one event loop. One stateless listener object: request A adds it to
 * a pending promise; request B adds it to an already succeeded future (ctx.executor()
 * .newSucceededFuture, a cache hit); request C completes A's promise. The listener calls a
 * downstream with the id the application serves (?for=), the agent adds x-request-id.
 */
public class NettyStolenListener {
  static final Queue<String> SEEN = new ConcurrentLinkedQueue<>();
  static String downstream;
  static final AtomicReference<Promise<String>> PENDING = new AtomicReference<>();
  static final AtomicReference<String> PENDING_FOR = new AtomicReference<>();

  static final GenericFutureListener<Future<String>> L = f -> call(f.getNow());

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
                                if (path.equals("/slow")) {
                                  Promise<String> p = ctx.executor().newPromise();
                                  PENDING.set(p);
                                  PENDING_FOR.set(rid);
                                  p.addListener(L);
                                } else if (path.equals("/fast")) {
                                  ctx.executor().newSucceededFuture(rid).addListener(L);
                                } else if (path.equals("/complete")) {
                                  PENDING.get().setSuccess(PENDING_FOR.get());
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

    get(port, "/slow", "A");
    get(port, "/fast", "B");
    get(port, "/complete", "C");
    Thread.sleep(500);
    System.out.println("downstream saw (expect for=X rid=X on every line):");
    boolean bad = false;
    for (String s : SEEN) {
      String[] p = s.split(" rid=");
      boolean ok = p[0].equals("for=" + p[1]);
      bad |= !ok;
      System.out.println("  " + s + (ok ? "" : "   <-- WRONG REQUEST"));
    }
    System.out.println(bad ? "RESULT: FAIL" : "RESULT: PASS");
    Thread.sleep(Long.getLong("hold", 0));
    server.close().sync();
    group.shutdownGracefully();
    down.stop(0);
    System.exit(bad ? 1 : 0);
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
