package dev.meshaware.agent.library.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.agent.testing.ChildJvm;
import dev.meshaware.agent.testing.Result;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Netty futures: a listener's registration belongs to the future it was added to (a listener object
 * shared by requests, added to a completed future, or removed after it was notified, never takes or
 * releases another request's registration), and a schedule method that throws leaves nothing on its
 * thread. Each program prints what its downstream received ({@code for=<id the app serves>
 * rid=<x-request-id that arrived>}).
 */
class NettyListenerRegistrationIT {

  private static Result run(Class<?> program, String... properties) throws Exception {
    return run(ChildJvm.running(program), properties);
  }

  private static Result run(ChildJvm child, String... properties) throws Exception {
    child.withLibraries();
    for (int i = 0; i < properties.length; i += 2) {
      child.property(properties[i], properties[i + 1]);
    }
    return child.run(Duration.ofSeconds(60));
  }

  @Test
  void aListenerAddedToACompletedFutureDoesNotTakeAnotherRequestsRegistration() throws Exception {
    Result result = run(NettyStolenListener.class);
    assertThat(result.lines()).as(String.join("\n", result.lines())).contains("RESULT: PASS");
    assertThat(result.exitCode()).isZero();
  }

  @Test
  void removingANotifiedListenerReleasesNoOtherRegistration() throws Exception {
    Result result = run(ChildJvm.running(NettyStolenListener.class).argument("remove"));
    assertThat(result.lines()).as(String.join("\n", result.lines())).contains("RESULT: PASS");
    assertThat(result.exitCode()).isZero();
  }

  @Test
  void aPeriodicScheduleThatThrowsLeavesLaterWorkItsOwner() throws Exception {
    Result result = run(NettyPeriodicStuck.class);
    assertThat(result.lines()).as(String.join("\n", result.lines())).contains("  for=A2 rid=A2");
    assertThat(result.exitCode()).isZero();
    Result inherit = run(NettyPeriodicStuck.class, "meshaware.propagation.periodic", "inherit");
    assertThat(inherit.lines()).as(String.join("\n", inherit.lines())).contains("  for=A2 rid=A2");
    assertThat(inherit.exitCode()).as("no request's headers in another's").isZero();
  }
}
