package dev.meshaware.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One request through real Netty pipelines, in memory ({@code EmbeddedChannel}): an HTTP/1.1
 * request with Istio's trace headers is decoded by {@code HttpServerCodec}; its handler makes an
 * outbound call (a request encoded by {@code HttpRequestEncoder}) after {@code hops} hops, and
 * answers. A hop is a listener of a Netty future ({@code netty}: a {@code ChannelPromise} listener)
 * or of a Vert.x future ({@code vertx}), registered and then called when its promise completes, as
 * handlers chain work. Run once without and once with {@code -javaagent} (benchmarks/run does): the
 * difference at 0 hops is what the agent adds to one request (capture, the outbound headers, the
 * end); the growth from 0 to {@code hops}, over {@code hops}, is what it adds to one hop.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NettyHopBenchmark {
  private static final byte[] REQUEST =
      ("GET /reviews/0 HTTP/1.1\r\n"
              + "host: reviews:9080\r\n"
              + "user-agent: curl/8.5.0\r\n"
              + "accept: */*\r\n"
              + "x-request-id: 6a1e5b7c-2f3d-4e8a-9b0c-0123456789ab\r\n"
              + "x-b3-traceid: 80f198ee56343ba864fe8b2a57d3eff7\r\n"
              + "x-b3-spanid: e457b5a2e4d86bd1\r\n"
              + "x-b3-parentspanid: 05e3ac9a4f6e3b90\r\n"
              + "x-b3-sampled: 1\r\n"
              + "traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\r\n"
              + "\r\n")
          .getBytes(StandardCharsets.US_ASCII);

  /** {@code netty}: the call straight from the handler; {@code vertx}: after a future's hop. */
  @Param({"netty", "vertx"})
  public String hop;

  /** Hops between the request's arrival and its outbound call. */
  @Param({"0", "8"})
  public int hops;

  private EmbeddedChannel server;
  private EmbeddedChannel client;
  private long outboundBytes;

  @Setup
  public void setUp() {
    client = new EmbeddedChannel(new HttpRequestEncoder());
    boolean viaFuture = hop.equals("vertx");
    server =
        new EmbeddedChannel(
            new HttpServerCodec(),
            new SimpleChannelInboundHandler<HttpObject>() {
              @Override
              protected void channelRead0(ChannelHandlerContext ctx, HttpObject message) {
                if (!(message instanceof LastHttpContent)) {
                  return;
                }
                hopThenCall(ctx, hops, viaFuture);
              }
            });
  }

  private void hopThenCall(ChannelHandlerContext ctx, int left, boolean viaFuture) {
    if (left == 0) {
      callAndAnswer(ctx);
    } else if (viaFuture) {
      Promise<Void> promise = Promise.promise();
      promise.future().onComplete(done -> hopThenCall(ctx, left - 1, true));
      promise.complete();
    } else {
      ChannelPromise promise = ctx.newPromise();
      promise.addListener(done -> hopThenCall(ctx, left - 1, false));
      promise.setSuccess();
    }
  }

  private void callAndAnswer(ChannelHandlerContext ctx) {
    DefaultFullHttpRequest outbound =
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/ratings/0");
    outbound.headers().set(HttpHeaderNames.HOST, "ratings:9080");
    client.writeOutbound(outbound);
    ByteBuf sent = client.readOutbound();
    outboundBytes = sent.readableBytes();
    sent.release();
    DefaultFullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
    ctx.writeAndFlush(response);
  }

  @Benchmark
  public long request() {
    outboundBytes = 0;
    server.writeInbound(Unpooled.wrappedBuffer(REQUEST));
    ByteBuf answer;
    while ((answer = server.readOutbound()) != null) {
      answer.release();
    }
    return outboundBytes;
  }

  /** Says, once, whether the outbound call carried the trace headers: the variant did its job. */
  @TearDown
  public void tearDown() {
    System.out.println(
        "[netty-hop] " + hop + " " + hops + " outbound request bytes: " + outboundBytes);
    server.finishAndReleaseAll();
    client.finishAndReleaseAll();
  }
}
