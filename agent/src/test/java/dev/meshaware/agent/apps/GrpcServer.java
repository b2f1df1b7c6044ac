package dev.meshaware.agent.apps;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Inbound through a grpc-java server (shaded Netty transport): the unary {@link GrpcWire#CALL}
 * serves its query like {@code /call}. A small fixed call executor makes every thread serve many
 * calls, so a header left behind by one call would show up on the next.
 */
final class GrpcServer {
  /** The server's call executor. */
  static final ExecutorService EXECUTOR = Executors.newFixedThreadPool(4);

  private GrpcServer() {}

  static int start() throws Exception {
    ServerServiceDefinition service =
        ServerServiceDefinition.builder(GrpcWire.SERVICE)
            .addMethod(
                GrpcWire.CALL,
                ServerCalls.asyncUnaryCall(
                    (query, response) -> {
                      response.onNext(ServiceApp.handle(query));
                      response.onCompleted();
                    }))
            .build();
    Server server =
        NettyServerBuilder.forAddress(
                new InetSocketAddress("127.0.0.1", 0), InsecureServerCredentials.create())
            .executor(EXECUTOR)
            .addService(service)
            .build()
            .start();
    return server.getPort();
  }
}
