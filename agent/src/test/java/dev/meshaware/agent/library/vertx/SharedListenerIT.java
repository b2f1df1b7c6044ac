package dev.meshaware.agent.library.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.agent.testing.ChildJvm;
import dev.meshaware.agent.testing.Result;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Listener registrations belong to the future they were added to: one stateless listener object
 * used by several requests, on pending and on already completed futures, or left on a future that
 * never completes, runs each time with its own registrar's headers; and a request whose body
 * arrives in pieces is counted once for the drain. Each program prints what its downstream received
 * ({@code for=<id the app serves> rid=<x-request-id that arrived>}).
 */
class SharedListenerIT {

  private static Result run(Class<?> program, String... properties) throws Exception {
    ChildJvm child = ChildJvm.running(program).withLibraries();
    for (int i = 0; i < properties.length; i += 2) {
      child.property(properties[i], properties[i + 1]);
    }
    return child.run(Duration.ofSeconds(60));
  }

  @Test
  void aListenerAddedToACompletedFutureDoesNotTakeAnotherRequestsRegistration() throws Exception {
    // A adds L to a pending promise; B adds L to a succeeded future; C completes A's promise.
    Result result = run(StolenListener.class);
    assertThat(result.lines()).as(String.join("\n", result.lines())).contains("RESULT: PASS");
    assertThat(result.exitCode()).isZero();
  }

  @Test
  void aRegistrationLeftOnAFutureThatNeverCompletesDisablesNothingElse() throws Exception {
    Result result = run(AbandonedListener.class);
    assertThat(result.lines()).as(String.join("\n", result.lines())).contains("RESULT: PASS");
    assertThat(result.exitCode()).isZero();
  }

  @Test
  void aRequestWhoseBodyArrivesInPiecesIsCountedOnce() throws Exception {
    Result result = run(VertxInflight.class, "meshaware.shutdown.delay", "1s");
    String text = String.join("\n", result.lines());
    assertThat(result.lines())
        .as(text)
        .filteredOn(line -> line.contains("handler:") || line.contains("chunk"))
        .hasSizeGreaterThanOrEqualTo(3)
        .allMatch(line -> line.endsWith(": 1"));
    assertThat(result.lines()).as(text).contains("  after the response: 0");
  }
}
