package dev.meshaware.agent.apps;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Outbound gRPC: calls {@link GrpcWire#CALL} on {@code app.grpcDownstream} with the path of {@code
 * url}, over one channel shared by all requests. {@code grpc-async} then calls {@code url + /then}
 * over HTTP from the response callback, as a service chaining calls does.
 */
final class GrpcClient {
  private static final Metadata SHARED = new Metadata();
  private static ManagedChannel channel;

  private GrpcClient() {}

  private static synchronized ManagedChannel channel() {
    if (channel == null) {
      channel =
          Grpc.newChannelBuilder(
                  System.getProperty("app.grpcDownstream"), InsecureChannelCredentials.create())
              .build();
    }
    return channel;
  }

  /**
   * Calls with one {@code Metadata} object shared by every call, passed to {@code ClientCall.start}
   * as a hand-written client may: whatever one call adds to it would show up on the next.
   */
  static int callWithSharedMetadata(String url) throws Exception {
    ClientCall<String, String> call =
        channel()
            .newCall(GrpcWire.CALL, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS));
    CompletableFuture<String> reply = new CompletableFuture<>();
    call.start(
        new ClientCall.Listener<String>() {
          @Override
          public void onMessage(String message) {
            reply.complete(message);
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            if (!status.isOk()) {
              reply.completeExceptionally(status.asRuntimeException());
            }
          }
        },
        SHARED);
    call.request(1);
    call.sendMessage(URI.create(url).getRawPath());
    call.halfClose();
    return GrpcWire.OK.equals(reply.get(10, TimeUnit.SECONDS)) ? 200 : 500;
  }

  static int call(String url, String appSpanId, boolean async) throws Exception {
    String path = URI.create(url).getRawPath();
    Channel target = channel();
    if (appSpanId != null) {
      Metadata own = new Metadata();
      own.put(Metadata.Key.of(Clients.APP_SET_HEADER, Metadata.ASCII_STRING_MARSHALLER), appSpanId);
      target = ClientInterceptors.intercept(target, MetadataUtils.newAttachHeadersInterceptor(own));
    }
    CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS);
    if (!async) {
      String reply = ClientCalls.blockingUnaryCall(target, GrpcWire.CALL, options, path);
      return GrpcWire.OK.equals(reply) ? 200 : 500;
    }
    CompletableFuture<Integer> status = new CompletableFuture<>();
    ClientCalls.asyncUnaryCall(
        target.newCall(GrpcWire.CALL, options),
        path,
        new StreamObserver<String>() {
          @Override
          public void onNext(String reply) {}

          @Override
          public void onError(Throwable failure) {
            status.completeExceptionally(failure);
          }

          @Override
          public void onCompleted() {
            try {
              status.complete(Clients.call("urlconnection", url + "/then", null));
            } catch (Exception e) {
              status.completeExceptionally(e);
            }
          }
        });
    return status.get(10, TimeUnit.SECONDS);
  }
}
