package dev.meshaware.agent.library.netty;

import com.sun.net.httpserver.HttpServer;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.*;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.*;
import io.netty.util.concurrent.Promise;
import java.io.*;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.*;

/**
 * Attack program (review of issue 12), run in a child JVM with {@code -javaagent} and Netty 4.1 or
 * 4.2 on the class path, argument {@code reuse}, {@code ws} or {@code listener}; everything on
 * 127.0.0.1, one event loop. {@code reuse}: one request object written for requests A, B and C on
 * one client channel: B and C go out with A's x-request-id. {@code ws}: a 101 response leaves the
 * request in flight (and current) until the connection closes.
 */
public class NettyReuseApp {
  static final BlockingQueue<String> DOWN = new LinkedBlockingQueue<>();
  static EventLoopGroup loop = new NioEventLoopGroup(1);
  static int downPort;
  static Channel clientChannel;
  static volatile Promise<String> answer;

  static String current() {
    try {
      Object h =
          Class.forName("dev.meshaware.core.propagation.CurrentHeaders")
              .getMethod("get")
              .invoke(null);
      if (h == null) return "none";
      return String.valueOf(h.getClass().getMethod("get", String.class).invoke(h, "x-request-id"));
    } catch (Throwable t) {
      return "?" + t;
    }
  }

  static int inflight() throws Exception {
    return (int)
        Class.forName("dev.meshaware.core.shutdown.InflightRequests")
            .getMethod("count")
            .invoke(null);
  }

  public static void main(String[] args) throws Exception {
    Class.forName("dev.meshaware.core.shutdown.InflightRequests").getMethod("enable").invoke(null);
    HttpServer down = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    down.createContext(
        "/",
        ex -> {
          DOWN.add(
              ex.getRequestURI().getPath()
                  + " x-request-id="
                  + ex.getRequestHeaders().get("x-request-id"));
          byte[] b = "ok".getBytes();
          ex.sendResponseHeaders(200, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    down.start();
    downPort = down.getAddress().getPort();
    String mode = args[0];
    switch (mode) {
      case "reuse":
        reuse();
        break;
      case "ws":
        ws();
        break;
      case "listener":
        listener();
        break;
      default:
        throw new IllegalArgumentException(mode);
    }
    down.stop(0);
    loop.shutdownGracefully();
    System.exit(0);
  }

  static Channel client() throws Exception {
    return new Bootstrap()
        .group(loop)
        .channel(NioSocketChannel.class)
        .handler(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                ch.pipeline()
                    .addLast(
                        new HttpClientCodec(),
                        new HttpObjectAggregator(1 << 16),
                        new SimpleChannelInboundHandler<FullHttpResponse>() {
                          @Override
                          protected void channelRead0(
                              ChannelHandlerContext ctx, FullHttpResponse r) {
                            answer.setSuccess(r.content().toString(StandardCharsets.UTF_8));
                          }
                        });
              }
            })
        .connect("127.0.0.1", downPort)
        .sync()
        .channel();
  }

  interface OnRequest {
    void handle(ChannelHandlerContext ctx, FullHttpRequest req) throws Exception;
  }

  static int server(OnRequest h) throws Exception {
    Channel s =
        new ServerBootstrap()
            .group(loop)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(
                            new HttpServerCodec(),
                            new HttpObjectAggregator(1 << 16),
                            new SimpleChannelInboundHandler<FullHttpRequest>() {
                              @Override
                              protected void channelRead0(
                                  ChannelHandlerContext ctx, FullHttpRequest r) throws Exception {
                                h.handle(ctx, r);
                              }
                            });
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
    return ((InetSocketAddress) s.localAddress()).getPort();
  }

  static void respond(ChannelHandlerContext ctx, String body) {
    FullHttpResponse resp =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.OK,
            Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    resp.headers().set("content-length", resp.content().readableBytes());
    ctx.writeAndFlush(resp);
  }

  static String get(int port, String path, String xrid) throws Exception {
    java.net.http.HttpClient c = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpRequest.Builder b =
        java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + port + path));
    if (xrid != null) b.header("x-request-id", xrid);
    return c.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
  }

  // 1. one request object (a template) written for two requests on one pooled client channel
  static final HttpRequest TEMPLATE =
      new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/template");

  static void reuse() throws Exception {
    clientChannel = client();
    TEMPLATE.headers().set("host", "127.0.0.1:" + downPort);
    int port =
        server(
            (ctx, req) -> {
              answer = ctx.executor().newPromise();
              clientChannel.write(TEMPLATE);
              clientChannel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
              answer.addListener(
                  f ->
                      respond(
                          ctx,
                          "template now carries " + TEMPLATE.headers().getAll("x-request-id")));
            });
    System.out.println("A -> " + get(port, "/a", "req-A"));
    System.out.println("DOWN " + DOWN.poll(5, TimeUnit.SECONDS));
    System.out.println("B -> " + get(port, "/b", "req-B"));
    System.out.println("DOWN " + DOWN.poll(5, TimeUnit.SECONDS));
    System.out.println("C(no header) -> " + get(port, "/c", null));
    System.out.println("DOWN " + DOWN.poll(5, TimeUnit.SECONDS));
  }

  // 2. a 101 Switching Protocols (websocket-like upgrade) is the final response of its request
  static void ws() throws Exception {
    int port =
        server(
            (ctx, req) -> {
              FullHttpResponse resp =
                  new DefaultFullHttpResponse(
                      HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
              resp.headers().set("upgrade", "websocket").set("connection", "upgrade");
              ctx.writeAndFlush(resp)
                  .addListener(
                      f -> {
                        ctx.pipeline().remove(HttpServerCodec.class);
                        ctx.pipeline().remove(HttpObjectAggregator.class);
                        System.out.println(
                            "upgraded; in-flight now "
                                + inflight()
                                + ", current on loop "
                                + current());
                      });
            });
    Socket s = new Socket("127.0.0.1", port);
    s.getOutputStream()
        .write(
            ("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nx-request-id: ws-1\r\n\r\n")
                .getBytes());
    BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream()));
    System.out.println("client got " + r.readLine());
    Thread.sleep(500);
    System.out.println(
        "after 101 (connection still open as a websocket): in-flight="
            + inflight()
            + " (expect 0)");
    s.close();
    Thread.sleep(300);
    System.out.println("after close: in-flight=" + inflight());
  }

  // 3. a listener added outside any request, notified while another request is current
  static void listener() throws Exception {
    Promise<Void> p = loop.next().newPromise();
    p.addListener(
        f ->
            System.out.println(
                "listener added outside any request runs with: " + current() + " (expect none)"));
    int port =
        server(
            (ctx, req) -> {
              p.setSuccess(null);
              respond(ctx, "done");
            });
    System.out.println(get(port, "/l", "req-L"));
  }
}
