package dev.meshaware.agent.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.agent.testing.ExecutorAppChild;
import dev.meshaware.agent.testing.Recorder;
import dev.meshaware.agent.testing.Recorder.Carried;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A {@code CompletableFuture} stage belongs to the request that registered it, whichever thread
 * completes the future: another request's, the main thread, or the JDK's delay thread (made here
 * while serving a request, as happens in applications). Every stage, non-async and async, on the
 * default executor and on the application's pool, in a child JVM with the agent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompletableFutureStagesIT {
  private static final Duration ARRIVAL = Duration.ofSeconds(10);
  private final AtomicInteger ids = new AtomicInteger();
  private Recorder recorder;
  private ExecutorAppChild app;

  /** Who does something: a request with headers, a request without, or the main thread. */
  private record Who(String requestId, boolean outside) {
    static final Who OUTSIDE = new Who(null, true);
    static final Who BARE = new Who(null, false);

    Carried carried() {
      return requestId == null
          ? Carried.NONE
          : new Carried(requestId, ExecutorAppChild.endUserOf(requestId));
    }

    @Override
    public String toString() {
      return outside
          ? "the main thread"
          : requestId == null ? "a request without headers" : requestId;
    }
  }

  @BeforeAll
  void start() throws Exception {
    recorder = Recorder.start();
    app = ExecutorAppChild.start(recorder, true);
    // The JDK makes its delay thread on first use: here, while serving request w.
    Who w = request("w");
    String tag = "delay-thread-made-" + ids.incrementAndGet();
    ok(as(w, "op=timeout&kind=orTimeout&millis=1&tag=" + tag));
    assertCarried("the stage of the request that made the delay thread", tag, w.carried());
  }

  @AfterAll
  void stop() throws Exception {
    app.close();
    recorder.close();
  }

  static List<String> stages() {
    return List.of(
        "thenApply",
        "thenAccept",
        "thenRun",
        "thenCompose",
        "whenComplete",
        "handle",
        "exceptionally",
        "exceptionallyCompose",
        "thenCombine",
        "thenAcceptBoth",
        "runAfterBoth",
        "applyToEither",
        "acceptEither",
        "runAfterEither",
        "thenApplyAsync",
        "thenAcceptAsync",
        "thenRunAsync",
        "thenComposeAsync",
        "whenCompleteAsync",
        "handleAsync",
        "exceptionallyAsync",
        "thenCombineAsync",
        "runAfterBothAsync",
        "applyToEitherAsync",
        "runAfterEitherAsync",
        "thenApplyAsync-pool",
        "thenRunAsync-pool",
        "whenCompleteAsync-pool",
        "handleAsync-pool",
        "exceptionallyAsync-pool",
        "thenAcceptBothAsync-pool",
        "acceptEitherAsync-pool");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stages")
  void aStageRunsWithTheHeadersOfTheRequestThatRegisteredItWhoeverCompletesTheFuture(String stage)
      throws Exception {
    Who a = request("a");
    stageCase(stage, a, request("b"), request("c"));
    stageCase(stage, request("a"), Who.OUTSIDE, Who.OUTSIDE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stages")
  void aStageRegisteredOutsideAnyRequestOrWithoutHeadersRunsWithNone(String stage)
      throws Exception {
    stageCase(stage, Who.OUTSIDE, request("b"), request("c"));
    stageCase(stage, Who.BARE, request("b"), request("c"));
  }

  @Test
  void aChainOfStagesRegisteredByTwoRequestsRunsEachWithItsOwn() throws Exception {
    String f = future();
    String middle = "chain-" + ids.incrementAndGet();
    Who a = request("a");
    Who b = request("b");
    String first = "chain-first-" + ids.incrementAndGet();
    String second = "chain-second-" + ids.incrementAndGet();
    ok(as(a, "op=register&stage=thenApply&key=" + f + "&as=" + middle + "&tag=" + first));
    ok(as(b, "op=register&stage=thenRun&key=" + middle + "&tag=" + second));
    ok(as(request("c"), "op=complete&key=" + f));
    assertCarried("first stage, registered by " + a, first, a.carried());
    assertCarried("stage on it, registered by " + b, second, b.carried());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"orTimeout", "completeOnTimeout"})
  void aStageOnATimeoutRunsWithTheHeadersOfItsRegistrantOnTheDelayThread(String kind)
      throws Exception {
    for (Who registrant : List.of(request("b"), Who.OUTSIDE, Who.BARE)) {
      String tag = kind + "-" + ids.incrementAndGet();
      ok(as(registrant, "op=timeout&kind=" + kind + "&millis=20&tag=" + tag));
      assertCarried("timed out, registered by " + registrant, tag, registrant.carried());
    }
    // Registered with a timeout in a, completed by b before it fires.
    Who a = request("a");
    String f = future();
    String tag = kind + "-beaten-" + ids.incrementAndGet();
    ok(as(a, "op=timeout&kind=" + kind + "&millis=60000&key=" + f + "&tag=" + tag));
    ok(as(request("b"), "op=complete&key=" + f));
    assertCarried("registered with a timeout by " + a + ", completed by another", tag, a.carried());
  }

  /**
   * {@code registrant} registers {@code stage} on a new future; {@code completer} completes it
   * (exceptionally for the stages that need it), and {@code second} completes the other future of a
   * two-future stage. The stage must carry exactly the registrant's headers.
   */
  private void stageCase(String stage, Who registrant, Who completer, Who second) throws Exception {
    String f = future();
    String g = future();
    String tag = stage + "-" + ids.incrementAndGet();
    ok(as(registrant, "op=register&stage=" + stage + "&key=" + f + "&other=" + g + "&tag=" + tag));
    ok(
        as(
            completer,
            "op=complete&key=" + f + (stage.startsWith("exceptionally") ? "&failed=1" : "")));
    if (stage.contains("Both") || stage.contains("Combine")) {
      ok(as(second, "op=complete&key=" + g));
    }
    assertCarried(
        stage + " registered by " + registrant + ", completed by " + completer,
        tag,
        registrant.carried());
  }

  private Who request(String name) {
    return new Who(name + "-" + ids.incrementAndGet(), false);
  }

  private String future() throws Exception {
    String key = "f" + ids.incrementAndGet();
    ok(app.op("op=future&key=" + key, null));
    return key;
  }

  private String as(Who who, String query) throws Exception {
    return who.outside() ? app.outside(query) : app.op(query, who.requestId());
  }

  private void ok(String answer) {
    assertThat(answer).as("the child's answer").isEqualTo("ok");
  }

  private void assertCarried(String situation, String tag, Carried expected)
      throws InterruptedException {
    assertThat(recorder.await(tag, ARRIVAL))
        .as("%s (call %s): expected %s", situation, tag, expected)
        .containsExactly(expected);
  }
}
