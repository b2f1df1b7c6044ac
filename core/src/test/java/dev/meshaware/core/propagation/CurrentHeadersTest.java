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
    return policy.capture(raw, new Object());
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
}
