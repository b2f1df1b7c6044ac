package dev.meshaware.agent.library.kafka;

import dev.meshaware.agent.testing.ChildJvm;

/**
 * {@link KafkaPropagationIT} with the application on Kafka clients and Streams 3.9 (Boot 3.5's),
 * against the same 4.1 broker. Spring Kafka 4 needs clients 4, so its case is left to the 4.x run.
 */
class Kafka39PropagationIT extends KafkaPropagationIT {
  @Override
  ChildJvm child(ChildJvm jvm) {
    return jvm.withLibraryProfile("kafka39", "kafka-clients-", "kafka-streams-", "spring-kafka-")
        .property("app.spring", "false");
  }

  /** The full scale runs on 4.x; the same iterator of 3.9 is checked with fewer records. */
  @Override
  int scaleRequests() {
    return 10;
  }

  @Override
  boolean spring() {
    return false;
  }
}
