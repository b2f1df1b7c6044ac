package dev.meshaware.agent.propagation;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.agent.propagation.grpc.GrpcServerInterceptor;
import dev.meshaware.core.propagation.Propagation;
import io.grpc.ServerInterceptor;
import java.util.Arrays;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Inbound: grpc-java servers, any transport (Netty, shaded Netty, OkHttp, in-process, servlet): all
 * are built by {@code ServerImplBuilder} into an {@code io.grpc.internal.ServerImpl}, whose
 * constructor copies the builder's interceptors into an array. The advice appends {@link
 * GrpcServerInterceptor} to that array, which makes it the outermost interceptor, and leaves the
 * application's builder untouched (it may build more servers).
 *
 * <p>Why an interceptor and not advice alone: the headers must be current in the service method and
 * in every listener callback, which gRPC runs as separate tasks on a shared call executor. Advice
 * on those tasks would need a place to keep each call's headers between callbacks, and
 * retransformation may not add fields; a listener that wraps the application's is that place, and
 * gRPC's public API for it is the interceptor. The interceptor implements gRPC's interfaces, so it
 * cannot live in the bootstrap loader with core: it is an {@linkplain #auxiliaryTypes() auxiliary
 * type}, defined in the class loader that loaded gRPC, just before {@code ServerImpl}.
 */
public final class GrpcServerInstrumentation implements TypeInstrumentation {
  private static final String GRPC = "dev.meshaware.agent.propagation.grpc.";

  @Override
  public String name() {
    return "grpc-server";
  }

  @Override
  public List<String> typeNames() {
    return List.of("io.grpc.internal.ServerImpl");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.constructor(
            AddInterceptorAdvice.class,
            "io.grpc.internal.ServerImplBuilder",
            "io.grpc.internal.InternalServer",
            "io.grpc.Context"));
  }

  @Override
  public List<String> auxiliaryTypes() {
    // By name: loading them here, in the agent's loader, would fail (no gRPC there).
    return List.of(
        GRPC + "GrpcMetadata",
        GRPC + "GrpcMetadata$Keys",
        GRPC + "GrpcServerInterceptor",
        GRPC + "GrpcServerInterceptor$ScopedListener");
  }

  /** Appends the interceptor to the server's own copy of the interceptors. */
  public static final class AddInterceptorAdvice {
    private AddInterceptorAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(
        @Advice.FieldValue(value = "interceptors", readOnly = false)
            ServerInterceptor[] interceptors) {
      if (Propagation.policy() == null || interceptors == null) {
        return;
      }
      ServerInterceptor[] withOurs = Arrays.copyOf(interceptors, interceptors.length + 1);
      withOurs[interceptors.length] = new GrpcServerInterceptor();
      interceptors = withOurs;
    }
  }
}
