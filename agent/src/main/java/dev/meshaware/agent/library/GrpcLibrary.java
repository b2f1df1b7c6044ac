package dev.meshaware.agent.library;

import dev.meshaware.agent.instrument.Library;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.agent.propagation.GrpcClientInstrumentation;
import dev.meshaware.agent.propagation.GrpcServerInstrumentation;
import java.util.List;

/** Grpc-java servers and channels. */
public final class GrpcLibrary implements Library {
  @Override
  public String name() {
    return "grpc";
  }

  @Override
  public String covers() {
    return "grpc-java servers and channels";
  }

  @Override
  public List<TypeInstrumentation> inbound() {
    return List.of(new GrpcServerInstrumentation());
  }

  @Override
  public List<TypeInstrumentation> outbound() {
    return List.of(new GrpcClientInstrumentation());
  }
}
