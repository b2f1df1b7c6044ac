package dev.meshaware.agent.library.netty;

import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.shutdown.InflightRequests;
import io.netty.handler.codec.http.HttpRequest;

/**
 * What one Netty channel is doing for meshaware: the request whose headers its callbacks run with.
 * On a server channel that is the request last decoded, from decode to the end of its response (or
 * the channel's close), counted for the shutdown drain; on a client channel it is the request that
 * wrote the call last, until its response has been read. Read and changed only on the channel's
 * event loop, so it needs no locking. An auxiliary type: defined in Netty's class loader.
 */
public final class ChannelExchange {
  /** Another library's instrumentation (Reactor Netty's) serves this channel: hands off. */
  final boolean foreign;

  /**
   * Client side: this layer explains the channel's failed calls. Not for a library whose own
   * diagnostics see its calls (Vert.x's client), so that each failure gives one line, not two.
   */
  final boolean diagnosed;

  /** The inbound request or outbound call the channel is at, by identity. */
  Object message;

  /** The headers its callbacks run with; null with {@link #active} is "no headers". */
  CapturedHeaders headers;

  /** True while {@link #headers} apply. */
  boolean active;

  /** The request is counted in the in-flight count. */
  private boolean counted;

  /** Client side: the call written last and the response head seen for it. */
  HttpRequest call;

  Object response;

  /** The last response head was interim (1xx): its end is not the call's. */
  boolean interim;

  /** The call's response was read to its end. */
  boolean answered;

  /** A failure of the call was recorded already. */
  boolean failureSeen;

  /** The application or a handler asked to close the channel. */
  boolean closing;

  ChannelExchange(boolean foreign, boolean diagnosed) {
    this.foreign = foreign;
    this.diagnosed = diagnosed;
  }

  /** A server channel decoded {@code request} with {@code captured}: it replaces the last one. */
  void served(Object request, CapturedHeaders captured) {
    end();
    message = request;
    headers = captured;
    active = true;
    counted = InflightRequests.begin();
  }

  /** The server's response ended or the channel closed: the request is over, counted once. */
  void end() {
    active = false;
    headers = null;
    if (counted) {
      counted = false;
      InflightRequests.end();
    }
  }

  /** A client channel wrote {@code request} on behalf of {@code owner} (null: no request). */
  void wrote(HttpRequest request, CapturedHeaders owner) {
    message = request;
    call = request;
    headers = owner;
    active = true;
    response = null;
    interim = false;
    answered = false;
    failureSeen = false;
  }
}
