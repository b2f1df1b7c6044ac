package dev.meshaware.agent.propagation;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.agent.propagation.grpc.GrpcClientInterceptor;
import dev.meshaware.core.propagation.Propagation;
import io.grpc.ClientInterceptor;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Outbound: grpc-java channels, any transport: {@code ManagedChannelImplBuilder.build()} asks
 * {@code getEffectiveInterceptors} for a fresh list of the interceptors the new channel gets (the
 * application's, plus gRPC's own stats and tracing). The advice returns a copy with {@link
 * GrpcClientInterceptor} first, which makes it the innermost interceptor: the application's
 * interceptors and gRPC's tracing set their metadata before it looks. Why an interceptor: see
 * {@link GrpcServerInstrumentation}.
 *
 * <p>Matches grpc-java versions whose {@code getEffectiveInterceptors} takes the channel target
 * (1.85 has it); other versions are skipped, with a debug line.
 */
public final class GrpcClientInstrumentation implements TypeInstrumentation {
  private static final String GRPC = "dev.meshaware.agent.propagation.grpc.";

  @Override
  public String name() {
    return "grpc-client";
  }

  @Override
  public List<String> typeNames() {
    return List.of("io.grpc.internal.ManagedChannelImplBuilder");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.method(
            "getEffectiveInterceptors", AddInterceptorAdvice.class, "java.lang.String"));
  }

  @Override
  public List<String> auxiliaryTypes() {
    return List.of(
        GRPC + "GrpcMetadata",
        GRPC + "GrpcMetadata$Keys",
        GRPC + "GrpcClientInterceptor",
        GRPC + "GrpcClientInterceptor$HeaderAddingCall",
        GRPC + "GrpcClientInterceptor$ScopedListener");
  }

  /** Puts the interceptor first in a copy of the channel's interceptors. */
  public static final class AddInterceptorAdvice {
    private AddInterceptorAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Return(readOnly = false) List<ClientInterceptor> interceptors) {
      if (Propagation.policy() == null || interceptors == null) {
        return;
      }
      List<ClientInterceptor> withOurs = new ArrayList<>(interceptors.size() + 1);
      withOurs.add(new GrpcClientInterceptor());
      withOurs.addAll(interceptors);
      interceptors = withOurs;
    }
  }
}
