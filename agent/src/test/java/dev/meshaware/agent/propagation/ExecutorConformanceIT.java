package dev.meshaware.agent.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.meshaware.agent.testing.ChildJvm;
import dev.meshaware.agent.testing.ExecutorAppChild;
import dev.meshaware.agent.testing.Recorder;
import dev.meshaware.agent.testing.Recorder.Carried;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The isolation contract, run for every executor a subclass names, in a child JVM with the agent
 * serving real requests and calling a real recorder:
 *
 * <ul>
 *   <li>work submitted while serving a request carries exactly that request's headers;
 *   <li>work submitted outside any request, or by a request without headers, carries none, also on
 *       workers that were made while serving another request;
 *   <li>tasks of several requests waiting in one queue, and more concurrent requests than the pool
 *       has workers, each carry their own;
 *   <li>the executor APIs hand the application its own objects, exactly as without the agent (the
 *       same checks in a control child without the agent).
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ExecutorConformanceIT {
  private static final Duration ARRIVAL = Duration.ofSeconds(10);

  /** Executors that exist from JDK 21 on. */
  private static final Set<String> JDK21 = Set.of("virtual-per-task", "spring-simple-virtual");

  private final AtomicInteger ids = new AtomicInteger();
  private Recorder recorder;
  private ExecutorAppChild app;
  private ExecutorAppChild control;

  /** The executors (names {@code ExecutorApp} knows) this class runs the contract for. */
  abstract List<String> subjects();

  /** The families of {@code AppObjects} checks that apply to these executors. */
  List<String> objectFamilies() {
    return List.of();
  }

  @BeforeAll
  void start() throws Exception {
    recorder = Recorder.start();
    app = ExecutorAppChild.start(recorder, true);
    if (!objectFamilies().isEmpty()) {
      control = ExecutorAppChild.start(recorder, false);
    }
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable each : new AutoCloseable[] {app, control, recorder}) {
      if (each != null) {
        each.close();
      }
    }
  }

  Stream<String> subjectNames() {
    return subjects().stream();
  }

  /** Skips an executor the child's JDK does not have (virtual threads before 21). */
  private static void assumeOnThisJdk(String subject) {
    assumeTrue(
        !JDK21.contains(subject) || ChildJvm.javaFeatureVersion() >= 21,
        subject + " needs JDK 21+");
  }

  Stream<String> families() {
    return objectFamilies().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("subjectNames")
  void workSubmittedWhileServingARequestCarriesThatRequestsHeaders(String subject)
      throws Exception {
    assumeOnThisJdk(subject);
    String inst = instance(subject);
    String a = id("a");
    String tag = tag(subject, "served");
    expectOk(app.op(submit(subject, inst, tag), a), subject);
    assertCarried(subject, "task submitted while serving " + a, tag, carried(a));

    // The usual case: the executor was made at start-up, outside any request.
    String madeBefore = instance(subject);
    expectOk(app.outside("op=create&subject=" + subject + "&inst=" + madeBefore), subject);
    String b = id("b");
    String later = tag(subject, "served-made-outside");
    expectOk(app.op(submit(subject, madeBefore, later), b), subject);
    assertCarried(
        subject,
        "task submitted while serving " + b + " to an executor made outside",
        later,
        carried(b));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("subjectNames")
  void workSubmittedOutsideAnyRequestCarriesNothingEvenOnWorkersMadeDuringARequest(String subject)
      throws Exception {
    assumeOnThisJdk(subject);
    String before = instance(subject);
    String first = tag(subject, "outside-first");
    expectOk(app.outside(submit(subject, before, first)), subject);
    assertCarried(subject, "outside any request, executor made outside", first, Carried.NONE);

    // Every worker of this one is made, and first used, while serving request a.
    String inst = instance(subject);
    String a = id("a");
    String fill = tag(subject, "fill");
    expectOk(app.op("op=fill&subject=" + subject + "&inst=" + inst + "&tag=" + fill, a), subject);
    assertCarried(subject, "task filling the workers while serving " + a, fill + "-0", carried(a));
    for (int i = 1; !recorder.calls(fill + "-" + i).isEmpty(); i++) {
      assertCarried(
          subject, "task filling the workers while serving " + a, fill + "-" + i, carried(a));
    }

    String outside = tag(subject, "outside-after");
    expectOk(app.outside(submit(subject, inst, outside) + "&n=4&seq=1"), subject);
    String bare = tag(subject, "bare-after");
    expectOk(app.op(submit(subject, inst, bare) + "&n=4&seq=1", null), subject);
    for (int i = 0; i < 4; i++) {
      assertCarried(
          subject, "outside any request, on workers made in " + a, outside + "-" + i, Carried.NONE);
      assertCarried(
          subject,
          "request without headers, on workers made in " + a,
          bare + "-" + i,
          Carried.NONE);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("subjectNames")
  void queuedWorkOfInterleavedRequestsCarriesEachItsOwn(String subject) throws Exception {
    assumeOnThisJdk(subject);
    String inst = instance(subject);
    String gate = "gate-" + inst;
    expectOk(
        app.op("op=gate&gate=" + gate + "&subject=" + subject + "&inst=" + inst, id("g")), subject);
    Map<String, Carried> expected = new LinkedHashMap<>();
    try {
      for (String who : List.of("a", "b", "outside", "bare", "a2", "b2")) {
        String tag = tag(subject, "queued-" + who);
        String query = submit(subject, inst, tag) + "&wait=0";
        if (who.equals("outside")) {
          expectOk(app.outside(query), subject);
          expected.put(tag, Carried.NONE);
        } else if (who.equals("bare")) {
          expectOk(app.op(query, null), subject);
          expected.put(tag, Carried.NONE);
        } else {
          String id = id(who);
          expectOk(app.op(query, id), subject);
          expected.put(tag, carried(id));
        }
      }
    } finally {
      app.op("op=release&gate=" + gate, null);
    }
    for (Map.Entry<String, Carried> each : expected.entrySet()) {
      assertCarried(subject, "queued behind a busy worker", each.getKey(), each.getValue());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("subjectNames")
  void concurrentRequestsBeyondThePoolSizeEachCarryTheirOwn(String subject) throws Exception {
    assumeOnThisJdk(subject);
    String inst = instance(subject);
    ExecutorService senders = Executors.newFixedThreadPool(8);
    try {
      Map<String, Carried> expected = new LinkedHashMap<>();
      List<Future<String>> answers = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        String tag = tag(subject, "concurrent-" + i);
        String id = i % 4 == 3 ? null : id("c" + i);
        expected.put(tag, id == null ? Carried.NONE : carried(id));
        answers.add(senders.submit(() -> app.op(submit(subject, inst, tag), id)));
      }
      for (Future<String> answer : answers) {
        expectOk(answer.get(60, TimeUnit.SECONDS), subject);
      }
      for (Map.Entry<String, Carried> each : expected.entrySet()) {
        assertCarried(subject, "concurrent requests", each.getKey(), each.getValue());
      }
    } finally {
      senders.shutdownNow();
    }
  }

  @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
  @MethodSource("families")
  void theExecutorApisHandTheApplicationItsOwnObjects(String family) throws Exception {
    String query = "op=objects&family=" + family;
    String id = id("objects");
    Map<String, String> without = lines(control.op(query, id));
    Map<String, String> with = lines(app.op(query, id));
    assertThat(without).as("control run without the agent:\n" + control.output()).isNotEmpty();
    assertThat(with)
        .as(family + ": what the application sees with the agent, against without it")
        .containsExactlyEntriesOf(without);
  }

  private String instance(String subject) {
    return subject + "-" + ids.incrementAndGet();
  }

  private String id(String who) {
    return who + "-" + ids.incrementAndGet();
  }

  private String tag(String subject, String what) {
    return subject + "-" + what + "-" + ids.incrementAndGet();
  }

  private static String submit(String subject, String inst, String tag) {
    return "op=submit&subject=" + subject + "&inst=" + inst + "&tag=" + tag;
  }

  private static Carried carried(String requestId) {
    return new Carried(requestId, ExecutorAppChild.endUserOf(requestId));
  }

  private void expectOk(String answer, String subject) {
    assertThat(answer)
        .as(subject + ": the child's answer; its output ends with\n" + tail())
        .isEqualTo("ok");
  }

  /** The child's last lines, past its start-up report. */
  private String tail() {
    String[] lines = app.output().split("\n");
    return String.join(
        "\n", Arrays.asList(lines).subList(Math.max(0, lines.length - 30), lines.length));
  }

  private void assertCarried(String subject, String situation, String tag, Carried expected)
      throws InterruptedException {
    List<Carried> calls = recorder.await(tag, ARRIVAL);
    assertThat(calls)
        .as("[%s] %s (call %s): expected %s", subject, situation, tag, expected)
        .containsExactly(expected);
  }

  private static Map<String, String> lines(String answer) {
    Map<String, String> lines = new LinkedHashMap<>();
    for (String line : answer.split("\n")) {
      int eq = line.indexOf('=');
      lines.put(eq > 0 ? line.substring(0, eq) : line, eq > 0 ? line.substring(eq + 1) : "");
    }
    return lines;
  }
}
