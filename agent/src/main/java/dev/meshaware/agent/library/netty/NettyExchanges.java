package dev.meshaware.agent.library.netty;

import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.CurrentHeaders;
import dev.meshaware.core.propagation.HeaderPolicy;
import dev.meshaware.core.propagation.Propagation;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCounted;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;

/**
 * The hooks the Netty advice calls, on the channel's event loop. Each channel carries a {@link
 * ChannelExchange} in an attribute (a key no application names), made when the first HTTP request
 * passes it: channels that never carry HTTP cost one attribute lookup per handler. An auxiliary
 * type: defined in Netty's class loader, so it may use Netty's types.
 */
public final class NettyExchanges {
  private static final AttributeKey<ChannelExchange> EXCHANGE =
      AttributeKey.valueOf("dev.meshaware.netty.exchange");

  /**
   * Handlers of libraries instrumented on their own (Reactor Netty's server and client carry a
   * request in their subscriber context): a channel with one is left to them, so nothing is
   * forwarded or counted twice.
   */
  private static final String[] FOREIGN_HANDLERS = {"reactor.netty."};

  /**
   * Handlers of clients whose library explains their failed calls itself ({@code vertx-client},
   * which also sees Vert.x's HTTP/2 streams): their channels still get headers and callbacks here,
   * but no diagnostics, so a failure is counted and printed once.
   */
  private static final String[] SELF_DIAGNOSED_HANDLERS = {"io.vertx."};

  private NettyExchanges() {}

  /**
   * An inbound event reaches a handler of {@code channel} with {@code msg} (null for events without
   * one): a decoded request becomes the channel's request; the channel's request (or "no headers")
   * is made current for the handler. Returns the scope to close, or null.
   */
  public static Object enter(Channel channel, Object msg) {
    HeaderPolicy policy = Propagation.policy();
    if (policy == null || channel == null) {
      return null;
    }
    ChannelExchange exchange;
    if (msg instanceof HttpRequest) {
      exchange = exchange(channel, true);
      if (exchange.foreign) {
        return null;
      }
      if (exchange.message != msg) {
        exchange.served(msg, capture(policy, (HttpRequest) msg));
      }
    } else {
      exchange = exchange(channel, false);
      if (exchange == null || exchange.foreign) {
        return null;
      }
      if (exchange.call != null && msg != null) {
        NettyClientDiagnostics.inbound(exchange, msg, exchange.diagnosed);
      }
    }
    return open(exchange);
  }

  private static Object open(ChannelExchange exchange) {
    if (!exchange.active) {
      return null;
    }
    CapturedHeaders headers = exchange.headers;
    // A server channel's request is the one served; a client channel serves none.
    Object served = exchange.call == null ? exchange.message : null;
    if (CurrentHeaders.get() == headers && (served == null || Propagation.isCurrent(served))) {
      return null;
    }
    // A server's request is counted from its decoding to its end (ChannelExchange): the thread is
    // only marked, so that an entry point above Netty (Vert.x) counts it no second time.
    return served == null
        ? CurrentHeaders.open(headers)
        : Propagation.enterCaptured(headers, served);
  }

  /** Closes what {@link #enter} returned. */
  public static void exit(Object scope) {
    if (scope != null) {
      ((CurrentHeaders.Scope) scope).close();
    }
  }

  /**
   * A read from the transport has passed the whole pipeline: a client channel whose response was
   * read in full, and that wrote no new call meanwhile, runs nothing more for that call.
   */
  public static void afterRead(Channel channel) {
    ChannelExchange exchange = exchange(channel, false);
    if (exchange != null && exchange.call != null && exchange.answered) {
      exchange.active = false;
      exchange.headers = null;
    }
  }

  /** The channel closed: its request is over. */
  public static void inactive(Channel channel) {
    ChannelExchange exchange = exchange(channel, false);
    if (exchange != null && !exchange.foreign) {
      try {
        if (exchange.call != null && exchange.diagnosed) {
          NettyClientDiagnostics.closed(exchange);
        }
      } finally {
        exchange.end();
      }
    }
  }

  /** The application or a handler closes the channel: a close that follows is not the peer's. */
  public static void closing(Channel channel) {
    ChannelExchange exchange = exchange(channel, false);
    if (exchange != null) {
      exchange.closing = true;
    }
  }

  /** An exception travels the pipeline of {@code channel}. */
  public static void failed(Channel channel, Throwable failure) {
    ChannelExchange exchange = exchange(channel, false);
    if (exchange != null && !exchange.foreign && exchange.diagnosed && exchange.call != null) {
      NettyClientDiagnostics.failed(exchange, failure);
    }
  }

  /**
   * A client channel's encoder is given {@code request}: the current request owns the call's
   * response callbacks, and the call gets the current request's headers it lacks unless its
   * destination is excluded. Returns the request to encode instead: a copy carrying them (the
   * application's object is never changed: it may be a template written again for other requests),
   * or null to encode {@code request} as it is.
   */
  public static HttpRequest writing(Channel channel, HttpRequest request) {
    if (Propagation.policy() == null || channel == null) {
      return null;
    }
    ChannelExchange exchange = exchange(channel, true);
    if (exchange.foreign) {
      return null;
    }
    CapturedHeaders owner = Propagation.forCall();
    exchange.wrote(request, owner);
    if (owner == null) {
      return null;
    }
    HttpHeaders existing = request.headers();
    String hostHeader = existing.get("host");
    SocketAddress remote = channel.remoteAddress();
    int remotePort =
        remote instanceof InetSocketAddress ? ((InetSocketAddress) remote).getPort() : -1;
    String host;
    int port;
    if (hostHeader != null) {
      host = HostHeader.host(hostHeader);
      port = HostHeader.port(hostHeader, remotePort);
    } else if (remote instanceof InetSocketAddress) {
      host = ((InetSocketAddress) remote).getHostString();
      port = remotePort;
    } else {
      host = null;
      port = -1;
    }
    CapturedHeaders headers = Propagation.forDestination(owner, host, port);
    if (headers == null) {
      return null;
    }
    HttpRequest copy = null;
    for (int i = 0; i < headers.size(); i++) {
      if (!existing.contains(headers.name(i))) {
        if (copy == null) {
          copy = copyOf(request);
          if (copy == null) {
            return null; // a request type meshaware cannot copy safely: forward nothing
          }
        }
        copy.headers().add(headers.name(i), headers.value(i));
      }
    }
    if (copy != null) {
      exchange.wrote(copy, owner);
    }
    return copy;
  }

  /**
   * A request like {@code request} with headers of its own: a full request shares its content
   * buffer (whose one release the encoder makes, as it would have for the original); a request head
   * is copied whole. Null for any other request that carries content.
   */
  private static HttpRequest copyOf(HttpRequest request) {
    if (request instanceof FullHttpRequest) {
      FullHttpRequest full = (FullHttpRequest) request;
      FullHttpRequest copy = full.replace(full.content());
      // a replace() that shares the headers would let the application's object change
      return copy.headers() == full.headers() ? null : copy;
    }
    if (request instanceof HttpContent || request instanceof ReferenceCounted) {
      return null; // its release must stay with the application's object
    }
    DefaultHttpRequest copy =
        new DefaultHttpRequest(
            request.protocolVersion(), request.method(), request.uri(), request.headers().copy());
    copy.setDecoderResult(request.decoderResult());
    return copy;
  }

  /**
   * True when a server's encoder is given the end of a response ({@code msg}): the request ends
   * once it is written. Interim (1xx) responses are not the end; 101 Switching Protocols is.
   */
  public static boolean endsResponse(Object msg) {
    if (msg instanceof HttpResponse && ((HttpResponse) msg).status().code() == 101) {
      // Switching Protocols ends the HTTP request: the channel now carries another protocol
      // (HTTP/2 streams after h2c, each a request of its own; WebSocket frames), and the request
      // that asked for the switch must neither stay current for it nor stay in flight.
      return true;
    }
    return msg instanceof LastHttpContent
        && !(msg instanceof HttpResponse
            && ((HttpResponse) msg).status().code() >= 100
            && ((HttpResponse) msg).status().code() < 200
            && ((HttpResponse) msg).status().code() != 101);
  }

  /** A server channel's response was written to its end. */
  public static void responded(Channel channel) {
    ChannelExchange exchange = exchange(channel, false);
    if (exchange != null && exchange.call == null) {
      exchange.end();
    }
  }

  private static CapturedHeaders capture(HeaderPolicy policy, HttpRequest request) {
    HttpHeaders received = request.headers();
    String[] raw = new String[policy.nameCount()];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = received.get(policy.name(i));
    }
    return policy.capture(raw);
  }

  private static ChannelExchange exchange(Channel channel, boolean create) {
    if (!create) {
      return channel.hasAttr(EXCHANGE) ? channel.attr(EXCHANGE).get() : null;
    }
    Attribute<ChannelExchange> attribute = channel.attr(EXCHANGE);
    ChannelExchange exchange = attribute.get();
    if (exchange == null) {
      ChannelPipeline pipeline = channel.pipeline();
      exchange =
          new ChannelExchange(
              has(pipeline, FOREIGN_HANDLERS), !has(pipeline, SELF_DIAGNOSED_HANDLERS));
      attribute.set(exchange);
    }
    return exchange;
  }

  private static boolean has(ChannelPipeline pipeline, String[] prefixes) {
    for (Map.Entry<String, ChannelHandler> entry : pipeline) {
      String type = entry.getValue().getClass().getName();
      for (String prefix : prefixes) {
        if (type.startsWith(prefix)) {
          return true;
        }
      }
    }
    return false;
  }
}
