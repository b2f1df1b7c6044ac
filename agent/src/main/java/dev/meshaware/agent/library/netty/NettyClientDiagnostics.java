package dev.meshaware.agent.library.netty;

import dev.meshaware.core.diagnostics.MeshDiagnostics;
import dev.meshaware.core.diagnostics.OutboundExchange;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;

/**
 * Diagnostics for calls of a raw Netty HTTP client (and of clients built on it, AsyncHttpClient's):
 * the response head as the client's decoder produced it, a failure that travels the pipeline before
 * any response (a reset), and a close by the peer before any response. It only looks at the objects
 * the pipeline carries anyway; the application receives every byte as before. An auxiliary type:
 * defined in Netty's class loader.
 */
public final class NettyClientDiagnostics {
  static final String CLIENT = "netty-client";

  private NettyClientDiagnostics() {}

  /**
   * An inbound message of a client channel: a call's final response head is noted once (and, with
   * {@code diagnose}, classified). An {@code HttpObjectAggregator} passes the head on again inside
   * the {@code FullHttpResponse} it makes (another {@code HttpResponse}); only an interim (1xx)
   * head lets a later one through. {@code 101 Switching Protocols} is final and answers the call at
   * once: the connection then carries another protocol, whose events belong to no call. The
   * bookkeeping runs for every client channel, so that a call always ends; only the record depends
   * on {@code diagnose} (channels another instrumentation diagnoses itself).
   */
  static void inbound(ChannelExchange exchange, Object msg, boolean diagnose) {
    if (msg instanceof HttpResponse
        && msg != exchange.response
        && (exchange.response == null || exchange.interim)) {
      exchange.response = msg;
      HttpResponse response = (HttpResponse) msg;
      int status = response.status().code();
      exchange.interim = status >= 100 && status < 200 && status != 101;
      if (status == 101) {
        exchange.answered = true;
      }
      if (diagnose && !exchange.interim && response.decoderResult().isSuccess()) {
        OutboundExchange record = MeshDiagnostics.response(CLIENT, status);
        if (record != null) {
          describe(record, exchange.call);
          HttpHeaders headers = response.headers();
          for (int i = 0; i < OutboundExchange.RESPONSE_HEADERS.size(); i++) {
            String name = OutboundExchange.RESPONSE_HEADERS.get(i);
            record.header(name, headers.get(name));
          }
          MeshDiagnostics.record(record);
        }
      }
    }
    if (msg instanceof LastHttpContent && exchange.response != null && !exchange.interim) {
      exchange.answered = true;
    }
  }

  /** A failure travels a client channel's pipeline. */
  static void failed(ChannelExchange exchange, Throwable failure) {
    if (awaitsResponse(exchange)) {
      exchange.failureSeen = true;
      record(exchange, failure);
    }
  }

  /** A client channel closed; the peer closed it when nobody on this side asked to. */
  static void closed(ChannelExchange exchange) {
    if (awaitsResponse(exchange) && !exchange.closing) {
      exchange.failureSeen = true;
      record(exchange, new IOException("connection closed before response"));
    }
  }

  private static boolean awaitsResponse(ChannelExchange exchange) {
    return exchange.active
        && exchange.response == null
        && !exchange.answered
        && !exchange.failureSeen;
  }

  private static void record(ChannelExchange exchange, Throwable failure) {
    OutboundExchange record = MeshDiagnostics.failure(CLIENT, failure);
    if (record != null) {
      describe(record, exchange.call);
      MeshDiagnostics.record(record);
    }
  }

  private static void describe(OutboundExchange record, HttpRequest call) {
    HttpHeaders headers = call.headers();
    String uri = call.uri();
    String url =
        uri.startsWith("http://") || uri.startsWith("https://")
            ? uri
            : "http://" + headers.get("host") + uri;
    record.request(call.method().name(), url, headers.get("x-request-id"));
  }
}
