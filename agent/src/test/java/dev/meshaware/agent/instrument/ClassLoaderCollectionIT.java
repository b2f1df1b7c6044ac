package dev.meshaware.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.agent.apps.LoaderChurnApp;
import dev.meshaware.agent.testing.ChildJvm;
import dev.meshaware.agent.testing.Result;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Class loaders that load an instrumented class stay collectable: a host that loads and drops 100
 * application loaders (a webapp redeployed, a job's loader), each loading and using an instrumented
 * {@code HttpServlet}, gets every one of them back, as it does without the agent.
 */
class ClassLoaderCollectionIT {

  @Test
  void hundredLoadersOfAnInstrumentedClassAreAllCollected() throws Exception {
    Result result =
        ChildJvm.running(LoaderChurnApp.class).withLibraries().run(Duration.ofMinutes(2));

    assertThat(result.exitCode()).as(result.toString()).isZero();
    // Each loader's servlet was instrumented: its downstream call carried the request's id.
    assertThat(result.firstLineContaining("APP-RESULT"))
        .as(result.toString())
        .hasValue("APP-RESULT collected=100/100 forwarded=100");
  }

  @Test
  void withoutTheAgentTheSameHostGetsEveryLoaderBack() throws Exception {
    Result result =
        ChildJvm.running(LoaderChurnApp.class)
            .withLibraries()
            .withoutAgent()
            .run(Duration.ofMinutes(2));

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.firstLineContaining("APP-RESULT"))
        .as(result.toString())
        .hasValue("APP-RESULT collected=100/100 forwarded=0");
  }
}
