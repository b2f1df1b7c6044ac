package dev.meshaware.agent.testing;

import dev.meshaware.agent.apps.GrpcWire;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The gRPC downstream, in the test JVM (no agent): records the metadata of every {@link
 * GrpcWire#CALL} it receives, by the path in the message, and answers {@link GrpcWire#OK}. WireMock
 * plays this part for HTTP; it does not speak gRPC.
 */
public final class GrpcRecorder implements AutoCloseable {
  private final Map<String, List<Metadata>> received = new ConcurrentHashMap<>();
  private final Server server;

  private GrpcRecorder() throws Exception {
    ServerCallHandler<String, String> record =
        (call, headers) -> {
          call.request(1);
          return new ServerCall.Listener<String>() {
            @Override
            public void onMessage(String path) {
              received.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(headers);
              call.sendHeaders(new Metadata());
              call.sendMessage(GrpcWire.OK);
              call.close(Status.OK, new Metadata());
            }
          };
        };
    server =
        NettyServerBuilder.forAddress(
                new InetSocketAddress("127.0.0.1", 0), InsecureServerCredentials.create())
            .addService(
                ServerServiceDefinition.builder(GrpcWire.SERVICE)
                    .addMethod(GrpcWire.CALL, record)
                    .build())
            .build()
            .start();
  }

  public static GrpcRecorder start() throws Exception {
    return new GrpcRecorder();
  }

  /** The {@code host:port} a channel reaches it at. */
  public String target() {
    return "127.0.0.1:" + server.getPort();
  }

  /** The metadata of the calls received for {@code path} so far. */
  public List<Metadata> received(String path) {
    return new ArrayList<>(received.getOrDefault(path, List.of()));
  }

  /** Waits until at least {@code count} calls arrived for {@code path}. */
  public List<Metadata> awaitReceived(String path, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<Metadata> calls = received(path);
    while (calls.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(20);
      calls = received(path);
    }
    return calls;
  }

  /** Every value of the ASCII key {@code name}. */
  public static List<String> ascii(Metadata metadata, String name) {
    return values(metadata, Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
  }

  /** Every value of the binary key {@code name} (ending in {@code -bin}). */
  public static List<byte[]> binary(Metadata metadata, String name) {
    return values(metadata, Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER));
  }

  private static <T> List<T> values(Metadata metadata, Metadata.Key<T> key) {
    List<T> values = new ArrayList<>();
    Iterable<T> all = metadata.getAll(key);
    if (all != null) {
      all.forEach(values::add);
    }
    return values;
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
