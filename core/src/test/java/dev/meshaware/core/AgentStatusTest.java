package dev.meshaware.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.AgentStatus.Feature;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AgentStatusTest {
  @AfterEach
  void forget() {
    AgentStatus.forget();
  }

  @Test
  void anAgentThatOnlyStartedHandlesNothing() {
    AgentStatus.started();

    assertThat(AgentStatus.attached()).isTrue();
    assertThat(AgentStatus.features()).isEmpty();
    assertThat(AgentStatus.forwardsHeaders()).isFalse();
    assertThat(AgentStatus.gate()).isNull();
  }

  @Test
  void handlesExactlyWhatWasRecordedAndKeepsTheFirstFailure() {
    AgentStatus.started();
    AgentStatus.record(Feature.SHUTDOWN);
    AgentStatus.record(Feature.HEADER_FORWARDING);
    AgentStatus.failed("instrumentation unavailable");
    AgentStatus.failed("something later");

    assertThat(AgentStatus.features()).containsExactly(Feature.HEADER_FORWARDING, Feature.SHUTDOWN);
    assertThat(AgentStatus.handles(Feature.BIND_CHECK)).isFalse();
    assertThat(AgentStatus.forwardsHeaders()).isTrue();
    assertThat(AgentStatus.failure()).isEqualTo("instrumentation unavailable");
  }
}
