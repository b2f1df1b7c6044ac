package dev.meshaware.agent.propagation;

import java.util.List;

/** The isolation contract for the JDK's executors and executors applications build on them. */
class JdkExecutorsConformanceIT extends ExecutorConformanceIT {
  @Override
  List<String> subjects() {
    return List.of(
        "fixed",
        "cached",
        "single",
        "scheduled",
        "work-stealing",
        "virtual-per-task",
        "new-thread",
        "tpe-priority",
        "tpe-callerruns",
        "forkjoin",
        "forkjoin-submit",
        "forkjoin-fork",
        "common-pool",
        "lambda-factory",
        "methodref-factory",
        "helper-factory",
        "serial",
        "relay");
  }

  @Override
  List<String> objectFamilies() {
    return List.of("thread-pool", "priority", "rejected", "scheduled", "forkjoin");
  }
}
