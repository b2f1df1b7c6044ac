package dev.meshaware.agent.propagation;

import java.util.List;

/** The isolation contract for Guava's thread factories and executors. */
class GuavaExecutorsConformanceIT extends ExecutorConformanceIT {
  @Override
  List<String> subjects() {
    return List.of("guava-factory", "guava-listening", "guava-sequential");
  }

  @Override
  List<String> objectFamilies() {
    return List.of("guava-listening");
  }
}
