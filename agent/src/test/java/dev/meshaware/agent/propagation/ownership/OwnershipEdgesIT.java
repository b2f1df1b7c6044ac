package dev.meshaware.agent.propagation.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.agent.apps.OwnershipEdgesApp;
import dev.meshaware.agent.testing.ChildJvm;
import dev.meshaware.agent.testing.Result;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Work ownership on shapes the conformance suite does not walk: the same object pending for two
 * requests, an application's own executor whose worker starts during a request, a serial executor
 * that hands the application's task to a pool, a refused submission, and an executor whose class
 * loader sees only {@code java.*}. Each runs in a child JVM with the agent ({@link
 * OwnershipEdgesApp}); {@code none} is a run with no headers.
 */
class OwnershipEdgesIT {

  private static String run(String mode) throws Exception {
    Result result =
        ChildJvm.running(OwnershipEdgesApp.class).argument(mode).run(Duration.ofMinutes(1));
    assertThat(result.exitCode()).as(result.toString()).isZero();
    return result
        .firstLineContaining("APP-RESULT " + mode)
        .map(line -> line.substring(line.indexOf(mode) + mode.length()).trim())
        .orElseThrow(() -> new AssertionError("no result: " + result));
  }

  /** README rule 5: while B's and C's submissions of one object are both pending, none carries. */
  @Test
  void anObjectPendingForTwoRequestsAtOnceRunsWithNeitherRequestsHeaders() throws Exception {
    // first run: A and B pending; second run: B and C pending; third: C's alone
    assertThat(run("pending-twice")).isIn("[none, none, none]", "[none, none, C]");
  }

  /** README rule 3: a worker that an executor starts during a request does not inherit it. */
  @Test
  void anApplicationExecutorsWorkerStartedDuringARequestRunsLaterTasksAsTheirOwners()
      throws Exception {
    assertThat(run("lazy-worker")).isEqualTo("[A, B, none, C]");
  }

  /** README rule 1: a task passing through a further executor keeps its first submitter. */
  @Test
  void aSerialExecutorHandingTheTaskItselfToAPoolFromItsDrainKeepsTheSubmitter() throws Exception {
    assertThat(run("pass-through")).isEqualTo("[A, B]");
  }

  /** A submission the executor refused never runs, so it cannot take B's later one from it. */
  @Test
  void aTaskRefusedWhileServingAThenSubmittedByBRunsAsB() throws Exception {
    assertThat(run("rejected-then-resubmitted")).isEqualTo("A=refused B=B");
  }

  /**
   * Never hurt the host: a loader that cannot see meshaware's classes gets its executor unwoven.
   */
  @Test
  void anExecutorInALoaderThatSeesOnlyJavaClassesWorksAsWithoutTheAgent() throws Exception {
    assertThat(run("java-only-loader")).isEqualTo("[A, B, none, C]");
  }
}
