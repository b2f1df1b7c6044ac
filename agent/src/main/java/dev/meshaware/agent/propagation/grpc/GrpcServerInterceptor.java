package dev.meshaware.agent.propagation.grpc;

import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.CurrentHeaders;
import dev.meshaware.core.propagation.HeaderPolicy;
import dev.meshaware.core.propagation.Propagation;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Inbound gRPC: captures the call's trace headers from its {@link Metadata} and makes them current
 * while the application handles the call: in {@code startCall} (where streaming methods run) and in
 * every listener callback (where unary methods run, in {@code onHalfClose}). gRPC runs these on its
 * call executor, a pool shared by all calls, so each one opens its own scope and restores the
 * thread as it found it; a call without trace headers opens an empty scope, which hides whatever
 * the thread may have had.
 *
 * <p>The agent adds it as the outermost interceptor of every server, so the application's own
 * interceptors run inside the scope too.
 */
public final class GrpcServerInterceptor implements ServerInterceptor {

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    HeaderPolicy policy = Propagation.policy();
    if (policy == null) {
      return next.startCall(call, headers);
    }
    CapturedHeaders captured;
    try {
      captured = policy.capture(GrpcMetadata.read(headers, policy));
    } catch (RuntimeException unexpected) {
      // Never fail the application's call for meshaware's sake.
      return next.startCall(call, headers);
    }
    ServerCall.Listener<ReqT> listener;
    try (CurrentHeaders.Scope ignored = CurrentHeaders.open(captured)) {
      listener = next.startCall(call, headers);
    }
    return new ScopedListener<>(listener, captured);
  }

  /** Runs each callback with the call's headers current. */
  static final class ScopedListener<ReqT>
      extends ForwardingServerCallListener.SimpleForwardingServerCallListener<ReqT> {
    private final CapturedHeaders headers;

    ScopedListener(ServerCall.Listener<ReqT> delegate, CapturedHeaders headers) {
      super(delegate);
      this.headers = headers;
    }

    @Override
    public void onMessage(ReqT message) {
      try (CurrentHeaders.Scope ignored = CurrentHeaders.open(headers)) {
        super.onMessage(message);
      }
    }

    @Override
    public void onHalfClose() {
      try (CurrentHeaders.Scope ignored = CurrentHeaders.open(headers)) {
        super.onHalfClose();
      }
    }

    @Override
    public void onCancel() {
      try (CurrentHeaders.Scope ignored = CurrentHeaders.open(headers)) {
        super.onCancel();
      }
    }

    @Override
    public void onComplete() {
      try (CurrentHeaders.Scope ignored = CurrentHeaders.open(headers)) {
        super.onComplete();
      }
    }

    @Override
    public void onReady() {
      try (CurrentHeaders.Scope ignored = CurrentHeaders.open(headers)) {
        super.onReady();
      }
    }

    // Recent grpc-java only; older versions never call it, so the override is harmless there.
    @Override
    public void onEvent(Object event) {
      try (CurrentHeaders.Scope ignored = CurrentHeaders.open(headers)) {
        super.onEvent(event);
      }
    }
  }
}
