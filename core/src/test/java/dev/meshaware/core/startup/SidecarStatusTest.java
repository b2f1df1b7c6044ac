package dev.meshaware.core.startup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.config.HttpEndpoint;
import dev.meshaware.core.testing.FakeSidecar;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SidecarStatusTest {

  @Test
  void readyWhenEveryUrlAnswers200() {
    try (FakeSidecar sidecar = new FakeSidecar()) {
      sidecar.answer(200);
      SidecarStatus status =
          SidecarStatus.check(
              List.of(HttpEndpoint.parse(sidecar.readyUrl())), Duration.ofSeconds(10));

      assertThat(status.ready()).isTrue();
      assertThat(status.reachable()).isTrue();
      assertThat(status.outcomes()).containsEntry(sidecar.readyUrl(), "HTTP 200");
    }
  }

  @Test
  void reachableButNotReadyOn503() {
    try (FakeSidecar sidecar = new FakeSidecar()) {
      sidecar.answer(503);
      HttpEndpoint closed =
          HttpEndpoint.parse("http://127.0.0.1:" + FakeSidecar.closedPort() + "/");
      // A loaded machine's first answer from the fake sidecar can take longer than the gate's
      // probe timeout; what is checked here is how answers are read, not how fast they come.
      SidecarStatus status =
          SidecarStatus.check(
              List.of(HttpEndpoint.parse(sidecar.readyUrl()), closed), Duration.ofSeconds(10));

      assertThat(status.ready()).isFalse();
      assertThat(status.reachable()).isTrue();
      assertThat(status.outcomes())
          .containsEntry(sidecar.readyUrl(), "HTTP 503")
          .containsEntry(closed.toString(), "connection refused");
    }
  }

  @Test
  void nothingListeningIsNeitherReadyNorReachable() {
    HttpEndpoint closed = HttpEndpoint.parse("http://127.0.0.1:" + FakeSidecar.closedPort() + "/");
    SidecarStatus status = SidecarStatus.check(List.of(closed));

    assertThat(status.ready()).isFalse();
    assertThat(status.reachable()).isFalse();
  }
}
