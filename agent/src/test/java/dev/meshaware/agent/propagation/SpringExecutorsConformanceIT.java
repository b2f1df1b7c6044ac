package dev.meshaware.agent.propagation;

import java.util.List;

/** The isolation contract for Spring's executors, as plain objects (no Spring Boot around them). */
class SpringExecutorsConformanceIT extends ExecutorConformanceIT {
  @Override
  List<String> subjects() {
    return List.of("spring-tpte", "spring-tpts", "spring-simple", "spring-simple-virtual");
  }

  @Override
  List<String> objectFamilies() {
    return List.of("spring-tpte");
  }
}
