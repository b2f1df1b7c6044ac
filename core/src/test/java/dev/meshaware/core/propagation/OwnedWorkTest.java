package dev.meshaware.core.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.config.ConfigSource;
import dev.meshaware.core.config.MeshawareSettings;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OwnedWorkTest {
  private HeaderPolicy policy;

  @BeforeEach
  void install() {
    install(Map.of());
  }

  private void install(Map<String, String> properties) {
    policy = HeaderPolicy.from(MeshawareSettings.load(ConfigSource.of(properties, Map.of())));
    Propagation.install(policy);
  }

  @AfterEach
  void uninstall() {
    Propagation.install(null);
  }

  private CapturedHeaders headers(String requestId) {
    String[] raw = new String[policy.nameCount()];
    raw[0] = requestId;
    return policy.capture(raw);
  }

  private static String seen() {
    CapturedHeaders current = CurrentHeaders.get();
    return current == null ? "none" : current.get("x-request-id");
  }

  @Test
  void aTaskRunsWithTheRequestThatSubmittedItAndTheWorkerStateComesBack() {
    AtomicReference<String> inTask = new AtomicReference<>();
    Runnable task = () -> inTask.set(seen());
    try (CurrentHeaders.Scope a = CurrentHeaders.open(headers("A"))) {
      OwnedWork.submitted(task);
    }
    try (CurrentHeaders.Scope worker = CurrentHeaders.open(headers("stale"))) {
      OwnedWork.runTask(task);
      assertThat(seen()).isEqualTo("stale");
    }
    assertThat(inTask.get()).isEqualTo("A");
  }

  @Test
  void aTaskWithoutOwnerRunsWithNoneWhateverTheWorkerHeld() {
    AtomicReference<String> inTask = new AtomicReference<>();
    Runnable submittedOutside = () -> inTask.set(seen());
    OwnedWork.submitted(submittedOutside);
    try (CurrentHeaders.Scope worker = CurrentHeaders.open(headers("stale"))) {
      OwnedWork.runTask(submittedOutside);
      assertThat(inTask.get()).isEqualTo("none");
      Runnable neverRegistered = () -> inTask.set(seen());
      OwnedWork.runTask(neverRegistered);
      assertThat(inTask.get()).isEqualTo("none");
      OwnedWork.runInner(neverRegistered);
      assertThat(inTask.get())
          .as("an adapter's task runs in the scope already open")
          .isEqualTo("stale");
    }
  }

  @Test
  void oneObjectPendingForTwoRequestsRunsWithNeither() {
    AtomicReference<String> inTask = new AtomicReference<>();
    Runnable shared = () -> inTask.set(seen());
    try (CurrentHeaders.Scope a = CurrentHeaders.open(headers("A"))) {
      OwnedWork.submitted(shared);
    }
    try (CurrentHeaders.Scope b = CurrentHeaders.open(headers("B"))) {
      OwnedWork.submitted(shared);
    }
    OwnedWork.runTask(shared);
    assertThat(inTask.get()).isEqualTo("none");
    try (CurrentHeaders.Scope c = CurrentHeaders.open(headers("C"))) {
      OwnedWork.submitted(shared); // while B's submission is still pending
    }
    OwnedWork.runTask(shared);
    assertThat(inTask.get()).as("B's pending run never takes C's headers").isEqualTo("none");
    OwnedWork.runTask(shared);
    assertThat(inTask.get()).isEqualTo("none");
    try (CurrentHeaders.Scope b = CurrentHeaders.open(headers("B"))) {
      OwnedWork.submitted(shared);
    }
    OwnedWork.runTask(shared);
    assertThat(inTask.get()).as("judged afresh once every pending run is done").isEqualTo("B");
  }

  @Test
  void aRefusedSubmissionLeavesNoOwnerBehind() {
    AtomicReference<String> inTask = new AtomicReference<>();
    Runnable task = () -> inTask.set(seen());
    try (CurrentHeaders.Scope a = CurrentHeaders.open(headers("A"))) {
      OwnedWork.submitted(task);
      OwnedWork.rejected(task);
    }
    try (CurrentHeaders.Scope b = CurrentHeaders.open(headers("B"))) {
      OwnedWork.submitted(task);
    }
    OwnedWork.runTask(task);
    assertThat(inTask.get()).isEqualTo("B");
  }

  @Test
  void aTaskPassedOnKeepsItsFirstOwner() {
    AtomicReference<String> inTask = new AtomicReference<>();
    Runnable task = () -> inTask.set(seen());
    try (CurrentHeaders.Scope a = CurrentHeaders.open(headers("A"))) {
      OwnedWork.submitted(task);
    }
    OwnedWork.passOn(OwnedWork::submitted, task); // a drain outside any request hands it on
    OwnedWork.runTask(task);
    assertThat(inTask.get()).isEqualTo("A");
  }

  @Test
  void aSecondSubmissionBySameRequestOrOutsideDoesNotMakeAnOwnerLeak() {
    AtomicReference<String> inTask = new AtomicReference<>();
    Runnable task = () -> inTask.set(seen());
    try (CurrentHeaders.Scope a = CurrentHeaders.open(headers("A"))) {
      OwnedWork.submitted(task);
    }
    OwnedWork.submitted(task); // passed on by a drain outside any request
    OwnedWork.runTask(task);
    assertThat(inTask.get())
        .as("never another request's, and never A's for unowned work")
        .isEqualTo("none");
  }

  @Test
  void definedWorkKeepsItsRegistrarWhoeverHandsItOnOrFiresIt() {
    AtomicReference<String> inStage = new AtomicReference<>();
    Runnable stage = () -> inStage.set(seen());
    try (CurrentHeaders.Scope a = CurrentHeaders.open(headers("A"))) {
      OwnedWork.defined(stage);
    }
    try (CurrentHeaders.Scope b = CurrentHeaders.open(headers("B"))) {
      OwnedWork.submitted(stage);
      Object scope = OwnedWork.enterDefined(stage);
      stage.run();
      OwnedWork.exit(scope);
      assertThat(inStage.get()).isEqualTo("A");
      assertThat(seen()).isEqualTo("B");
      OwnedWork.runTask(stage);
      assertThat(inStage.get()).as("fires again with the same owner").isEqualTo("A");
    }
  }

  @Test
  void nestedTaskRunsRestoreInOrder() {
    Runnable outer = () -> {};
    Runnable inner = () -> {};
    try (CurrentHeaders.Scope a = CurrentHeaders.open(headers("A"))) {
      OwnedWork.submitted(outer);
    }
    try (CurrentHeaders.Scope b = CurrentHeaders.open(headers("B"))) {
      OwnedWork.submitted(inner);
    }
    OwnedWork.beginTask(outer);
    assertThat(seen()).isEqualTo("A");
    OwnedWork.beginTask(inner);
    assertThat(seen()).isEqualTo("B");
    OwnedWork.endTask();
    assertThat(seen()).isEqualTo("A");
    OwnedWork.endTask();
    assertThat(seen()).isEqualTo("none");
  }

  @Test
  void periodicWorkCarriesNothingUnlessInheritIsConfigured() {
    AtomicReference<String> inTask = new AtomicReference<>();
    Runnable periodic = () -> inTask.set(seen());
    try (CurrentHeaders.Scope a = CurrentHeaders.open(headers("A"))) {
      OwnedWork.scheduled(periodic, true);
    }
    OwnedWork.runTask(periodic);
    assertThat(inTask.get()).isEqualTo("none");
    install(Map.of("meshaware.propagation.periodic", "inherit"));
    Runnable inherited = () -> inTask.set(seen());
    try (CurrentHeaders.Scope a = CurrentHeaders.open(headers("A"))) {
      OwnedWork.scheduled(inherited, true);
    }
    for (int run = 0; run < 3; run++) {
      inTask.set(null);
      OwnedWork.runTask(inherited);
      assertThat(inTask.get()).as("run " + run).isEqualTo("A");
    }
  }

  @Test
  void neverCallsTheApplicationsEqualsOrHashCode() {
    class Hostile implements Runnable {
      @Override
      public void run() {}

      @Override
      public boolean equals(Object other) {
        throw new AssertionError("equals called");
      }

      @Override
      public int hashCode() {
        throw new AssertionError("hashCode called");
      }
    }
    Hostile task = new Hostile();
    try (CurrentHeaders.Scope a = CurrentHeaders.open(headers("A"))) {
      OwnedWork.submitted(task);
      OwnedWork.submitted(new Hostile());
    }
    OwnedWork.runTask(task);
  }

  @Test
  void recordedOwnersGoAwayWithTheirTasks() throws Exception {
    int before = OwnedWork.pending();
    List<WeakReference<Object>> refs = new ArrayList<>();
    try (CurrentHeaders.Scope a = CurrentHeaders.open(headers("A"))) {
      for (int i = 0; i < 10_000; i++) {
        Object task = new Object();
        refs.add(new WeakReference<>(task));
        OwnedWork.submitted(task);
      }
    }
    for (int attempt = 0; attempt < 50 && OwnedWork.pending() > before + 100; attempt++) {
      System.gc();
      Thread.sleep(20);
    }
    assertThat(OwnedWork.pending()).isLessThanOrEqualTo(before + 100);
  }

  @Test
  void nothingIsRecordedWithPropagationOff() {
    Propagation.install(null);
    int before = OwnedWork.pending();
    OwnedWork.submitted(new Object());
    OwnedWork.defined(new Object());
    assertThat(OwnedWork.pending()).isEqualTo(before);
  }
}
