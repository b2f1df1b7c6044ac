package dev.meshaware.core.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.config.ConfigSource;
import dev.meshaware.core.config.MeshawareSettings;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CurrentHeadersTest {
  private HeaderPolicy policy;

  @BeforeEach
  void install() {
    policy = HeaderPolicy.from(MeshawareSettings.load(ConfigSource.of(Map.of(), Map.of())));
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

  @Test
  void restoresThePreviousStateOnClose() {
    CapturedHeaders outer = headers("outer");
    try (CurrentHeaders.Scope a = CurrentHeaders.open(outer)) {
      try (CurrentHeaders.Scope b = CurrentHeaders.open(headers("inner"))) {
        assertThat(CurrentHeaders.get().get("x-request-id")).isEqualTo("inner");
      }
      assertThat(CurrentHeaders.get()).isSameAs(outer);
      try (CurrentHeaders.Scope none = CurrentHeaders.open(null)) {
        assertThat(CurrentHeaders.get())
            .as("a request without headers hides the outer one")
            .isNull();
      }
      assertThat(CurrentHeaders.get()).isSameAs(outer);
    }
    assertThat(CurrentHeaders.get()).isNull();
  }

  @Test
  void restoresEvenWhenTheRequestThrows() {
    try {
      try (CurrentHeaders.Scope scope = CurrentHeaders.open(headers("boom"))) {
        throw new IllegalStateException("handler failed");
      }
    } catch (IllegalStateException expected) {
      // the scope must be closed
    }
    assertThat(CurrentHeaders.get()).isNull();
  }

  @Test
  void aNestedEntryOfTheSameRequestDoesNotCaptureAgain() {
    Object request = new Object();
    String[] raw = new String[policy.nameCount()];
    raw[0] = "r1";
    CurrentHeaders.Scope outer = Propagation.enterInbound(raw, request);
    assertThat(Propagation.isCurrent(request)).isTrue();
    assertThat(Propagation.enterInbound(raw, request)).isNull();
    Propagation.exitInbound(outer);
    assertThat(CurrentHeaders.get()).isNull();
  }

  @Test
  void aRequestWithoutTraceHeadersIsRecognisedAsCurrentToo() {
    Object request = new Object();
    CurrentHeaders.Scope outer = Propagation.enterInbound(new String[policy.nameCount()], request);
    assertThat(Propagation.isCurrent(request)).isTrue();
    assertThat(Propagation.enterInbound(new String[policy.nameCount()], request)).isNull();
    Propagation.exitInbound(outer);
    assertThat(Propagation.isCurrent(request)).isFalse();
  }

  @Test
  void workOfAnotherOwnerRunningInsideARequestIsNotThatRequest() {
    Object request = new Object();
    String[] raw = new String[policy.nameCount()];
    raw[0] = "r1";
    CurrentHeaders.Scope outer = Propagation.enterInbound(raw, request);
    try (CurrentHeaders.Scope work = CurrentHeaders.open(headers("other"))) {
      assertThat(Propagation.isCurrent(request))
          .as("an entry point of the request inside other work captures afresh")
          .isFalse();
    }
    assertThat(Propagation.isCurrent(request)).isTrue();
    Propagation.exitInbound(outer);
    assertThat(Propagation.isCurrent(request)).isFalse();
  }

  @Test
  void capturedHeadersDoNotKeepTheirRequestObjectAlive() throws InterruptedException {
    // Headers live on in every piece of work a request leaves pending (a listener never fired, a
    // task in a queue): they must not hold the server's request object, its buffers and headers.
    String[] raw = new String[policy.nameCount()];
    raw[0] = "r1";
    Object request = new byte[1 << 20];
    java.lang.ref.WeakReference<Object> gone = new java.lang.ref.WeakReference<>(request);
    CapturedHeaders kept;
    try (CurrentHeaders.Scope scope = Propagation.enterInbound(raw, request)) {
      kept = CurrentHeaders.get();
    }
    request = null;
    for (int i = 0; i < 50 && gone.get() != null; i++) {
      System.gc();
      Thread.sleep(10);
    }
    assertThat(gone.get()).as("the request object").isNull();
    assertThat(kept.get("x-request-id")).isEqualTo("r1");
  }

  @Test
  void wrappedTasksCarryTheHeadersAndLeaveThePoolThreadClean() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      AtomicReference<String> seen = new AtomicReference<>();
      try (CurrentHeaders.Scope scope = CurrentHeaders.open(headers("task"))) {
        pool.submit(
                PropagatingRunnable.wrap(() -> seen.set(CurrentHeaders.get().get("x-request-id"))))
            .get(5, TimeUnit.SECONDS);
      }
      assertThat(seen.get()).isEqualTo("task");
      assertThat(pool.submit(CurrentHeaders::get).get(5, TimeUnit.SECONDS)).isNull();
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void wrapsNothingOutsideARequest() {
    Runnable task = () -> {};
    assertThat(PropagatingRunnable.wrap(task)).isSameAs(task);
  }

  @Test
  void aThreadTheApplicationStartsInheritsButAPoolWorkerDoesNot() throws Exception {
    AtomicReference<CapturedHeaders> inApplicationThread = new AtomicReference<>();
    AtomicReference<CapturedHeaders> inWorker = new AtomicReference<>(headers("sentinel"));
    ThreadFactory factory = Executors.defaultThreadFactory();
    try (CurrentHeaders.Scope scope = CurrentHeaders.open(headers("request"))) {
      Thread thread = new Thread(() -> inApplicationThread.set(CurrentHeaders.get()));
      thread.start();
      thread.join();
      Thread worker = factory.newThread(() -> inWorker.set(CurrentHeaders.get()));
      worker.start();
      worker.join();
    }
    assertThat(inApplicationThread.get().get("x-request-id")).isEqualTo("request");
    assertThat(inWorker.get()).as("threads made by a ThreadFactory are pool workers").isNull();
  }

  @Test
  void aPoolCreatedDuringARequestDoesNotKeepItsHeaders() throws Exception {
    ExecutorService pool;
    try (CurrentHeaders.Scope scope = CurrentHeaders.open(headers("creator"))) {
      pool = Executors.newFixedThreadPool(1);
      pool.submit(() -> {}).get(); // the worker thread is created inside the request
    }
    try {
      assertThat(pool.submit(CurrentHeaders::get).get(5, TimeUnit.SECONDS)).isNull();
      assertThat(CompletableFuture.supplyAsync(CurrentHeaders::get).get(5, TimeUnit.SECONDS))
          .isNull();
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void periodicTasksAreWrappedOnlyWhenInheritIsConfigured() {
    Runnable task = () -> {};
    try (CurrentHeaders.Scope scope = CurrentHeaders.open(headers("p"))) {
      assertThat(Propagation.periodic(task)).isSameAs(task);
      Propagation.install(
          HeaderPolicy.from(
              MeshawareSettings.load(
                  ConfigSource.of(Map.of("meshaware.propagation.periodic", "inherit"), Map.of()))));
      assertThat(Propagation.periodic(task)).isInstanceOf(PropagatingRunnable.class);
    }
  }

  @Test
  void aPeriodicCarrierRunsWithNoneByDefaultAndWithItsSchedulersHeadersUnderInherit() {
    AtomicReference<CapturedHeaders> seen = new AtomicReference<>();
    Runnable task = () -> seen.set(CurrentHeaders.get());
    Runnable byDefault;
    Runnable inherited;
    try (CurrentHeaders.Scope scope = CurrentHeaders.open(headers("scheduler"))) {
      byDefault = PropagatingRunnable.periodic(task);
      Propagation.install(
          HeaderPolicy.from(
              MeshawareSettings.load(
                  ConfigSource.of(Map.of("meshaware.propagation.periodic", "inherit"), Map.of()))));
      inherited = PropagatingRunnable.periodic(task);
      assertThat(PropagatingRunnable.periodic(inherited))
          .as("never wrapped twice")
          .isSameAs(inherited);
    }
    try (CurrentHeaders.Scope scope = CurrentHeaders.open(headers("thread"))) {
      byDefault.run();
      assertThat(seen.get()).as("none, whatever the thread holds").isNull();
      inherited.run();
      assertThat(seen.get().get("x-request-id")).isEqualTo("scheduler");
      assertThat(CurrentHeaders.get().get("x-request-id")).isEqualTo("thread");
    }
  }
}
