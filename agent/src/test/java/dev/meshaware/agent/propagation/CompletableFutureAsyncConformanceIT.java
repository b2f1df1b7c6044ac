package dev.meshaware.agent.propagation;

import java.util.List;

/**
 * The isolation contract for work handed to executors through {@code CompletableFuture}: its async
 * methods, on the default executor and on the application's pool, and its delayed executors.
 */
class CompletableFutureAsyncConformanceIT extends ExecutorConformanceIT {
  @Override
  List<String> subjects() {
    return List.of(
        "cf-run-async",
        "cf-run-async-pool",
        "cf-then-run-async-pool",
        "cf-delayed",
        "cf-delayed-pool");
  }
}
