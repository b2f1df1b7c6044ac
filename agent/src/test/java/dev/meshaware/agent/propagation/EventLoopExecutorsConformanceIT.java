package dev.meshaware.agent.propagation;

import java.util.List;

/**
 * The isolation contract for Netty's event executors, Reactor's schedulers (a task handed over with
 * {@code subscribeOn} or {@code publishOn} while serving a request, a blocking client inside) and
 * gRPC's serializing executor.
 */
class EventLoopExecutorsConformanceIT extends ExecutorConformanceIT {
  @Override
  List<String> subjects() {
    return List.of(
        "netty-group",
        "reactor-parallel",
        "reactor-parallel-global",
        "reactor-bounded-elastic",
        "reactor-single",
        "grpc-serializing");
  }
}
