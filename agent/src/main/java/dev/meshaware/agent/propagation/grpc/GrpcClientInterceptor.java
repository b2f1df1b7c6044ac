package dev.meshaware.agent.propagation.grpc;

import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.CurrentHeaders;
import dev.meshaware.core.propagation.Propagation;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;

/**
 * Outbound gRPC: adds the current request's headers to the call's {@link Metadata}, each one only
 * when the application has not set that key itself. The headers are those current when the call is
 * created ({@code newCall}, on the application's thread, as for OkHttp), so a call created while
 * serving a request and started later, on another thread, still carries that request's headers.
 *
 * <p>The agent adds it as the innermost interceptor of every channel, so it sees what the
 * application's own interceptors put in the metadata, and leaves that alone.
 *
 * <p>A unary call's response callbacks belong to the request that made the call, like a task handed
 * to an executor: they run with its headers, so a follow-up call made from them carries them too.
 * Streaming calls' callbacks do not, because a stream may outlive its request and go on serving
 * unrelated work.
 */
public final class GrpcClientInterceptor implements ClientInterceptor {

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
    ClientCall<ReqT, RespT> call = next.newCall(method, callOptions);
    CapturedHeaders current = CurrentHeaders.get();
    if (current == null) {
      return call;
    }
    String authority =
        callOptions.getAuthority() != null ? callOptions.getAuthority() : next.authority();
    CapturedHeaders forwarded = Propagation.outbound(host(authority), port(authority));
    CapturedHeaders forCallbacks =
        method.getType() == MethodDescriptor.MethodType.UNARY ? current : null;
    if (forwarded == null && forCallbacks == null) {
      return call;
    }
    return new HeaderAddingCall<>(call, forwarded, forCallbacks);
  }

  /** The host of an authority: {@code host}, {@code host:port} or {@code [v6]:port}. */
  static String host(String authority) {
    if (authority == null) {
      return "";
    }
    if (authority.startsWith("[")) {
      int end = authority.indexOf(']');
      return end > 0 ? authority.substring(1, end) : authority;
    }
    int colon = authority.indexOf(':');
    return colon >= 0 ? authority.substring(0, colon) : authority;
  }

  /** The port of an authority, or -1 when it names none (or not a number). */
  static int port(String authority) {
    if (authority == null) {
      return -1;
    }
    int colon = authority.lastIndexOf(':');
    if (colon < 0 || colon < authority.lastIndexOf(']')) {
      return -1;
    }
    try {
      return Integer.parseInt(authority.substring(colon + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Adds the headers on {@code start}; wraps the listener of a unary call. */
  static final class HeaderAddingCall<ReqT, RespT>
      extends ForwardingClientCall.SimpleForwardingClientCall<ReqT, RespT> {
    private final CapturedHeaders forwarded;
    private final CapturedHeaders forCallbacks;

    HeaderAddingCall(
        ClientCall<ReqT, RespT> delegate, CapturedHeaders forwarded, CapturedHeaders forCallbacks) {
      super(delegate);
      this.forwarded = forwarded;
      this.forCallbacks = forCallbacks;
    }

    @Override
    public void start(Listener<RespT> listener, Metadata headers) {
      Metadata sent = headers;
      Listener<RespT> notified = listener;
      try {
        if (forwarded != null && headers != null) {
          sent = GrpcMetadata.withMissing(headers, forwarded);
        }
        if (forCallbacks != null && listener != null) {
          notified = new ScopedListener<>(listener, forCallbacks);
        }
      } catch (RuntimeException unexpected) {
        // Never fail the application's call for meshaware's sake: send it as it was.
        sent = headers;
        notified = listener;
      }
      super.start(notified, sent);
    }
  }

  /** Runs each callback with the headers of the request that made the call. */
  static final class ScopedListener<RespT>
      extends ForwardingClientCallListener.SimpleForwardingClientCallListener<RespT> {
    private final CapturedHeaders headers;

    ScopedListener(ClientCall.Listener<RespT> delegate, CapturedHeaders headers) {
      super(delegate);
      this.headers = headers;
    }

    @Override
    public void onHeaders(Metadata responseHeaders) {
      try (CurrentHeaders.Scope ignored = CurrentHeaders.open(headers)) {
        super.onHeaders(responseHeaders);
      }
    }

    @Override
    public void onMessage(RespT message) {
      try (CurrentHeaders.Scope ignored = CurrentHeaders.open(headers)) {
        super.onMessage(message);
      }
    }

    @Override
    public void onClose(io.grpc.Status status, Metadata trailers) {
      try (CurrentHeaders.Scope ignored = CurrentHeaders.open(headers)) {
        super.onClose(status, trailers);
      }
    }

    @Override
    public void onReady() {
      try (CurrentHeaders.Scope ignored = CurrentHeaders.open(headers)) {
        super.onReady();
      }
    }
  }
}
