package dev.meshaware.agent.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.agent.testing.ExecutorAppChild;
import dev.meshaware.agent.testing.Recorder;
import dev.meshaware.agent.testing.Recorder.Carried;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Periodic work belongs to no request: scheduled while serving one (or outside any), its runs carry
 * nothing by default, on the JDK's scheduler, {@code java.util.Timer}, Spring's, Netty's and
 * Reactor's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PeriodicWorkIT {
  private final AtomicInteger ids = new AtomicInteger();
  private Recorder recorder;
  private ExecutorAppChild app;

  @BeforeAll
  void start() throws Exception {
    recorder = Recorder.start();
    app = ExecutorAppChild.start(recorder, true);
  }

  @AfterAll
  void stop() throws Exception {
    app.close();
    recorder.close();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "fixed-rate",
        "fixed-delay",
        "timer",
        "spring-fixed-rate",
        "netty-fixed-rate",
        "reactor-periodic"
      })
  void periodicWorkScheduledWhileServingARequestCarriesNothing(String kind) throws Exception {
    String served = kind + "-served-" + ids.incrementAndGet();
    assertThat(app.op("op=periodic&kind=" + kind + "&tag=" + served, "a-" + ids.incrementAndGet()))
        .isEqualTo("ok");
    String outside = kind + "-outside-" + ids.incrementAndGet();
    assertThat(app.outside("op=periodic&kind=" + kind + "&tag=" + outside)).isEqualTo("ok");
    for (String tag : new String[] {served, outside}) {
      assertThat(recorder.await(tag, Duration.ofSeconds(10)))
          .as(kind + ": first run of " + tag)
          .containsExactly(Carried.NONE);
    }
  }
}
