package dev.meshaware.spring.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.propagation.SubscriberContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Fuseable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

/**
 * Each pipeline run with and without meshaware's operator hook (kept from the attack review), by a
 * subscriber that asks for each fusion mode, to the end and cancelled: the same values, order,
 * fusion mode, terminal signal and discarded items (as a set); long {@code then()} and {@code
 * concatWith()} chains, which Reactor merges by class, still run (20 000 steps); a subscriber whose
 * context throws still gets its values.
 */
class ReactorHookBehaviourTest {
  private static final String KEY = "review";

  @AfterEach
  void reset() {
    Hooks.resetOnEachOperator(KEY);
  }

  /** What a manual fusing subscriber saw. */
  static final class Seen {
    final List<Object> values = Collections.synchronizedList(new ArrayList<>());
    final List<Object> discarded = Collections.synchronizedList(new ArrayList<>());
    volatile String terminal = "none";
    volatile int mode = -1;

    @Override
    public String toString() {
      List<Object> v;
      synchronized (values) {
        v = new ArrayList<>(values);
      }
      List<Object> d;
      synchronized (discarded) {
        d = new ArrayList<>(discarded);
      }
      // after an asynchronous cancel, two threads discard what their queues hold: the order
      // between them is a race, the set is not
      d.sort(java.util.Comparator.comparing(String::valueOf));
      return "mode=" + mode + " values=" + v + " terminal=" + terminal + " discarded=" + d;
    }
  }

  /** Requests {@code fusion} (or none), drains, cancels after {@code cancelAfter} values. */
  static final class Fusing implements CoreSubscriber<Object> {
    final int fusion;
    final int cancelAfter;
    final Seen seen;
    final CountDownLatch done = new CountDownLatch(1);
    final Context context;
    Subscription s;
    Fuseable.QueueSubscription<Object> qs;
    int wip;

    Fusing(int fusion, int cancelAfter, Seen seen) {
      this.fusion = fusion;
      this.cancelAfter = cancelAfter;
      this.seen = seen;
      this.context =
          Context.of(SubscriberContext.KEY, SubscriberContext.valueFor(null))
              .put(
                  "reactor.onDiscard.local",
                  (java.util.function.Consumer<Object>) seen.discarded::add);
    }

    @Override
    public Context currentContext() {
      return context;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void onSubscribe(Subscription s) {
      this.s = s;
      if (fusion != Fuseable.NONE && s instanceof Fuseable.QueueSubscription) {
        qs = (Fuseable.QueueSubscription<Object>) s;
        int m = qs.requestFusion(fusion);
        seen.mode = m;
        if (m == Fuseable.SYNC) {
          try {
            Object v;
            while ((v = qs.poll()) != null) {
              if (add(v)) {
                qs.clear();
                return;
              }
            }
            seen.terminal = "complete";
          } catch (Throwable e) {
            seen.terminal = "error:" + e.getMessage();
          }
          done.countDown();
          return;
        }
        if (m == Fuseable.ASYNC) {
          s.request(Long.MAX_VALUE);
          return;
        }
        qs = null;
      } else {
        seen.mode = Fuseable.NONE;
      }
      s.request(Long.MAX_VALUE);
    }

    private boolean add(Object v) {
      seen.values.add(v);
      if (seen.values.size() == cancelAfter) {
        s.cancel();
        seen.terminal = "cancelled";
        done.countDown();
        return true;
      }
      return false;
    }

    @Override
    public synchronized void onNext(Object t) {
      if (qs != null) {
        try {
          Object v;
          while ((v = qs.poll()) != null) {
            if (add(v)) {
              qs.clear();
              return;
            }
          }
        } catch (Throwable e) {
          s.cancel();
          seen.terminal = "error:" + e.getMessage();
          done.countDown();
        }
        return;
      }
      if (!"none".equals(seen.terminal)) {
        return;
      }
      add(t);
    }

    @Override
    public synchronized void onError(Throwable t) {
      if (qs != null) {
        onNext(null);
      }
      if ("none".equals(seen.terminal)) {
        seen.terminal = "error:" + t.getMessage();
      }
      done.countDown();
    }

    @Override
    public synchronized void onComplete() {
      if (qs != null) {
        onNext(null);
      }
      if ("none".equals(seen.terminal)) {
        seen.terminal = "complete";
      }
      done.countDown();
    }
  }

  private static Seen run(Supplier<Publisher<?>> pipeline, int fusion, int cancelAfter)
      throws Exception {
    Seen seen = new Seen();
    Fusing f = new Fusing(fusion, cancelAfter, seen);
    @SuppressWarnings("unchecked")
    Publisher<Object> p = (Publisher<Object>) pipeline.get();
    p.subscribe(f);
    assertThat(f.done.await(10, TimeUnit.SECONDS)).as("terminated: " + seen).isTrue();
    return seen;
  }

  /**
   * What both runs saw, once the same or after 10 s: after an asynchronous cancel the workers
   * discard what their queues hold after the subscriber is done, as late as a busy machine lets
   * them, so a run's discards are read again until they match (or the time is up).
   */
  private static void assertSame(String as, Seen with, Seen without) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    Thread.sleep(20);
    while (!with.toString().equals(without.toString()) && System.nanoTime() - end < 0) {
      Thread.sleep(20);
    }
    assertThat(with.toString()).as(as).isEqualTo(without.toString());
  }

  private static void compare(String name, Supplier<Publisher<?>> pipeline) throws Exception {
    for (int fusion :
        new int[] {
          Fuseable.NONE,
          Fuseable.SYNC,
          Fuseable.ASYNC,
          Fuseable.ANY,
          Fuseable.ANY | Fuseable.THREAD_BARRIER
        }) {
      for (int cancelAfter : new int[] {Integer.MAX_VALUE, 2}) {
        Hooks.resetOnEachOperator(KEY);
        Seen without = run(pipeline, fusion, cancelAfter);
        Hooks.onEachOperator(KEY, ReactorHeaderScopes.acrossPipelines());
        Seen with = run(pipeline, fusion, cancelAfter);
        Hooks.resetOnEachOperator(KEY);
        assertSame(name + " fusion=" + fusion + " cancelAfter=" + cancelAfter, with, without);
      }
    }
  }

  @Test
  void publishOnImmediate() throws Exception {
    compare("publishOn", () -> Flux.range(1, 6).publishOn(Schedulers.immediate()));
  }

  @Test
  void publishOnThenMapError() throws Exception {
    compare(
        "publishOn.map(error)",
        () ->
            Flux.range(1, 6)
                .publishOn(Schedulers.immediate())
                .map(
                    i -> {
                      if (i == 4) {
                        throw new IllegalStateException("boom");
                      }
                      return i;
                    }));
  }

  @Test
  void concatMapThenPublishOn() throws Exception {
    compare(
        "concatMap.publishOn",
        () ->
            Flux.range(1, 4)
                .concatMap(i -> Flux.range(i * 10, 2))
                .publishOn(Schedulers.immediate()));
  }

  @Test
  void flatMapSync() throws Exception {
    compare("flatMap", () -> Flux.range(1, 4).flatMap(i -> Flux.range(i * 10, 2)));
  }

  @Test
  void cacheFlux() throws Exception {
    compare(
        "cache",
        () -> {
          Flux<Integer> c = Flux.range(1, 5).cache();
          c.subscribe();
          return c;
        });
  }

  @Test
  void replayAutoConnect() throws Exception {
    compare("replay", () -> Flux.range(1, 5).replay(3).autoConnect());
  }

  @Test
  void sinkManyReplay() throws Exception {
    compare(
        "sink",
        () -> {
          Sinks.Many<Integer> sink = Sinks.many().replay().all();
          for (int i = 1; i <= 5; i++) {
            sink.tryEmitNext(i);
          }
          sink.tryEmitComplete();
          return sink.asFlux().map(i -> i * 2);
        });
  }

  @Test
  void bufferedZip() throws Exception {
    compare("zip", () -> Flux.zip(Flux.range(1, 5), Flux.range(10, 5), Integer::sum));
  }

  @Test
  void monoCollectList() throws Exception {
    compare(
        "collectList.flatMapMany",
        () -> Flux.range(1, 5).collectList().flatMapMany(Flux::fromIterable));
  }

  @Test
  void groupBy() throws Exception {
    compare(
        "groupBy",
        () -> Flux.range(1, 6).groupBy(i -> i % 2).flatMap(g -> g.map(i -> g.key() + ":" + i)));
  }

  @Test
  void publishOnParallelAsync() throws Exception {
    compare(
        "publishOn(parallel).publishOn(single)",
        () -> Flux.range(1, 50).publishOn(Schedulers.parallel()).publishOn(Schedulers.single()));
  }

  /** Reactor merges successive then()s into one operator; a lifted one nests instead. */
  @Test
  void longThenChainStillWorks() {
    Hooks.onEachOperator(KEY, ReactorHeaderScopes.acrossPipelines());
    Mono<Void> chain = Mono.empty();
    for (int i = 0; i < 20_000; i++) {
      chain = chain.then(Mono.empty());
    }
    Throwable failure = null;
    try {
      chain
          .contextWrite(Context.of(SubscriberContext.KEY, SubscriberContext.valueFor(null)))
          .block(Duration.ofSeconds(30));
    } catch (Throwable e) {
      failure = e;
    }
    assertThat(failure).as("20000 x then() with the hook").isNull();
  }

  @Test
  void longConcatWithChainStillWorks() {
    Hooks.onEachOperator(KEY, ReactorHeaderScopes.acrossPipelines());
    Flux<Integer> chain = Flux.just(0);
    for (int i = 1; i < 20_000; i++) {
      chain = chain.concatWith(Flux.just(i));
    }
    Throwable failure = null;
    Long count = null;
    try {
      count = chain.count().block(Duration.ofSeconds(30));
    } catch (Throwable e) {
      failure = e;
    }
    assertThat(failure).as("20000 x concatWith() with the hook").isNull();
    assertThat(count).isEqualTo(20_000L);
  }

  @Test
  void longThenChainWithoutHookControl() {
    Mono<Void> chain = Mono.empty();
    for (int i = 0; i < 20_000; i++) {
      chain = chain.then(Mono.empty());
    }
    chain.block(Duration.ofSeconds(30));
  }

  /** A subscriber whose currentContext() throws. */
  @Test
  void subscriberWhoseContextThrows() throws Exception {
    Hooks.onEachOperator(KEY, ReactorHeaderScopes.acrossPipelines());
    CountDownLatch done = new CountDownLatch(1);
    List<Object> got = new ArrayList<>();
    Flux.range(1, 3)
        .flatMap(Flux::just)
        .subscribe(
            new CoreSubscriber<Integer>() {
              @Override
              public Context currentContext() {
                throw new IllegalStateException("no context");
              }

              @Override
              public void onSubscribe(Subscription s) {
                s.request(10);
              }

              @Override
              public void onNext(Integer t) {
                got.add(t);
              }

              @Override
              public void onError(Throwable t) {
                got.add(t.toString());
                done.countDown();
              }

              @Override
              public void onComplete() {
                done.countDown();
              }
            });
    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(got).containsExactly(1, 2, 3);
  }
}
