package dev.meshaware.spring.propagation;

import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.CurrentHeaders;
import dev.meshaware.core.propagation.SubscriberContext;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.reactivestreams.Processor;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Fuseable;
import reactor.core.Scannable;
import reactor.core.publisher.ConnectableFlux;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;
import reactor.core.publisher.Operators;
import reactor.core.publisher.Sinks;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * Makes a WebFlux request's headers current on the threads that run its pipeline, so that a
 * blocking client ({@code RestTemplate}, {@code RestClient}) called inside it finds them as on a
 * servlet thread. The headers ride in the pipeline's Reactor context ({@link
 * HeaderCaptureWebFilter}); a thread-local holds them only while a signal of that pipeline is being
 * delivered on a thread: where a pipeline is subscribed, where a source outside Reactor delivers
 * (the request body, a {@code WebClient} response), and where a Reactor scheduler runs a task of
 * the pipeline ({@link #onSchedule}). Every scope restores what the thread held before, so a thread
 * that served one request runs the next one's signals, and work outside any request, with exactly
 * theirs.
 *
 * <p>Where one pipeline's signal reaches subscribers of <em>other</em> pipelines (a {@code
 * cache()}d or {@code share()}d publisher, a {@code replay()}, a future or a callback that another
 * request completes, an operator on a {@code Sinks} sink), each subscriber gets it with its own
 * headers, not those of the pipeline that happened to produce it ({@link #acrossPipelines}).
 *
 * <p>Nothing here needs Micrometer's context-propagation library.
 */
final class ReactorHeaderScopes {
  private ReactorHeaderScopes() {}

  /**
   * {@code source} subscribed and delivering each signal with the headers of {@code value} (an
   * entry {@link SubscriberContext#valueFor} made) current.
   */
  static <T> Mono<T> scoped(Mono<T> source, Object value) {
    CapturedHeaders headers = SubscriberContext.carried(value);
    return new MonoOperator<T, T>(source) {
      @Override
      public void subscribe(CoreSubscriber<? super T> actual) {
        subscribeScoped(source, actual, headers);
      }
    };
  }

  /** The {@link Flux} form of {@link #scoped(Mono, Object)}. */
  static <T> Flux<T> scoped(Flux<T> source, Object value) {
    CapturedHeaders headers = SubscriberContext.carried(value);
    return new FluxOperator<T, T>(source) {
      @Override
      public void subscribe(CoreSubscriber<? super T> actual) {
        subscribeScoped(source, actual, headers);
      }
    };
  }

  private static <T> void subscribeScoped(
      Publisher<? extends T> source, CoreSubscriber<? super T> actual, CapturedHeaders headers) {
    CurrentHeaders.Scope scope = open(headers);
    try {
      source.subscribe(new ScopedSubscriber<>(actual, headers));
    } finally {
      close(scope);
    }
  }

  /**
   * Reactor's schedule hook: a task of a pipeline that belongs to a request ({@code subscribeOn},
   * {@code publishOn}, {@code delay}... hand the scheduler a task that is, or names, a subscriber
   * of that pipeline) runs with that request's headers, or with none for a request without any;
   * every other task is left as it is.
   */
  static Runnable onSchedule(Runnable task) {
    Object value = entryOf(task);
    if (value == null) {
      return task;
    }
    CapturedHeaders headers = SubscriberContext.carried(value);
    return () -> {
      CurrentHeaders.Scope scope = open(headers);
      try {
        task.run();
      } finally {
        close(scope);
      }
    };
  }

  /**
   * Reactor's operator hook. A signal can reach a request's pipeline from outside it wherever an
   * operator takes it from a source other than the step before it: an inner or other publisher
   * ({@code flatMap}, {@code zip}, {@code then}, {@code defer}...), an upstream shared among
   * subscribers ({@code cache}, {@code share}, {@code replay}, {@code publish}), a callback ({@code
   * create}, {@code push}, {@code fromFuture}, {@code from} of another library's publisher), or a
   * sink or processor (the first operator on it). Every such operator hands each subscriber that
   * belongs to a request its signals with that request's headers current; at a shared upstream or a
   * callback, a subscriber outside any request gets them with none. Operators that only pass on
   * what the step before delivers ({@code map}, {@code filter}, {@code doOnNext}, {@code next}...)
   * and sources that produce values themselves are left as they are: in them a signal is still in
   * the pipeline it entered. A lifted subscriber keeps the fusion its upstream offers.
   */
  static Function<? super Publisher<Object>, ? extends Publisher<Object>> acrossPipelines() {
    return Operators.<Object>lift(
        ReactorHeaderScopes::takesSignalsFromOutside,
        (operator, subscriber) -> ownScope(operator, subscriber));
  }

  /**
   * Operators that share one upstream among subscribers, or take signals from callbacks (besides
   * every {@code ConnectableFlux}: {@code replay}, {@code publish}).
   */
  private static final Set<String> SHARING =
      Set.of(
          "MonoCacheTime",
          "MonoCacheInvalidateIf",
          "MonoCacheInvalidateWhen",
          "FluxRefCount",
          "FluxRefCountGrace",
          "FluxAutoConnect",
          "FluxAutoConnectFuseable",
          "MonoCompletionStage",
          "FluxCreate",
          "MonoCreate",
          "FluxSource",
          "FluxSourceFuseable",
          "MonoSource",
          "MonoSourceFuseable",
          "MonoFromPublisher");

  /**
   * Operators that take their signals only from the step before them (or make them themselves):
   * never lifted unless that step is a sink or processor.
   */
  private static final Set<String> PASSING_ON =
      Set.of(
          "FluxMap",
          "FluxMapFuseable",
          "MonoMap",
          "MonoMapFuseable",
          "FluxFilter",
          "FluxFilterFuseable",
          "MonoFilter",
          "MonoFilterFuseable",
          "FluxHandle",
          "FluxHandleFuseable",
          "MonoHandle",
          "MonoHandleFuseable",
          "FluxPeek",
          "FluxPeekFuseable",
          "MonoPeek",
          "MonoPeekFuseable",
          "MonoPeekTerminal",
          "FluxDoOnEach",
          "FluxDoOnEachFuseable",
          "MonoDoOnEach",
          "MonoDoOnEachFuseable",
          "FluxDoFinally",
          "MonoDoFinally",
          "FluxDoFirst",
          "FluxDoFirstFuseable",
          "MonoDoFirst",
          "MonoDoFirstFuseable",
          "FluxTap",
          "FluxTapFuseable",
          "MonoTap",
          "MonoTapFuseable",
          "FluxContextWrite",
          "MonoContextWrite",
          "FluxName",
          "FluxNameFuseable",
          "MonoName",
          "MonoNameFuseable",
          "FluxLog",
          "FluxLogFuseable",
          "MonoLog",
          "MonoLogFuseable",
          "FluxMetrics",
          "FluxMetricsFuseable",
          "MonoMetrics",
          "MonoMetricsFuseable",
          "FluxOnAssembly",
          "MonoOnAssembly",
          "FluxHide",
          "MonoHide",
          "FluxDefaultIfEmpty",
          "MonoDefaultIfEmpty",
          "FluxOnErrorReturn",
          "MonoOnErrorReturn",
          "FluxMaterialize",
          "MonoMaterialize",
          "FluxDematerialize",
          "MonoDematerialize",
          "FluxIndex",
          "FluxIndexFuseable",
          "FluxElapsed",
          "MonoElapsed",
          "FluxTimed",
          "MonoTimed",
          "FluxDistinct",
          "FluxDistinctFuseable",
          "FluxDistinctUntilChanged",
          "FluxLimitRequest",
          "FluxTake",
          "FluxTakeFuseable",
          "FluxTakeLast",
          "FluxTakeLastOne",
          "FluxTakeWhile",
          "FluxTakeUntil",
          "FluxSkip",
          "FluxSkipLast",
          "FluxSkipWhile",
          "FluxBuffer",
          "FluxOnBackpressureBuffer",
          "FluxOnBackpressureDrop",
          "FluxOnBackpressureLatest",
          "MonoNext",
          "MonoTakeLastOne",
          "MonoElementAt",
          "MonoSingle",
          "MonoSingleMono",
          "MonoSingleOptional",
          "MonoCollect",
          "MonoCollectList",
          "MonoReduce",
          "MonoReduceSeed",
          "MonoCount",
          "MonoAll",
          "MonoAny",
          "MonoHasElement",
          "MonoHasElements",
          "MonoIgnoreElement",
          "MonoIgnoreElements",
          "FluxRange",
          "FluxIterable",
          "FluxArray",
          "FluxStream",
          "FluxGenerate",
          "FluxError",
          "FluxErrorSupplied",
          "MonoError",
          "MonoErrorSupplied");

  /**
   * Operators Reactor merges with the next one of their kind by checking the class of {@code this}
   * ({@code then}, {@code concatWith}, {@code mergeWith}, {@code zipWith}, {@code or}, {@code and},
   * {@code delayUntil}): lifted, every such step would nest one level deeper (a loop of 1000 {@code
   * then()} overflows the stack). Never lifted: a signal that reaches a request's pipeline through
   * them from a sink another party emits into is caught by the outbound check ({@link
   * CompletionCallbacks}), which sends none.
   */
  private static final Set<String> MERGED_BY_REACTOR =
      Set.of(
          "MonoIgnoreThen",
          "MonoWhen",
          "MonoZip",
          "MonoDelayUntil",
          "MonoFirstWithSignal",
          "MonoFirstWithValue",
          "FluxConcatArray",
          "FluxMerge",
          "FluxMergeComparing",
          "FluxZip",
          "FluxFirstWithSignal",
          "FluxFirstWithValue",
          "FluxSourceMono",
          "FluxSourceMonoFuseable",
          "MonoSourceFlux",
          "MonoSourceFluxFuseable");

  private static final int SHARES = 1;
  private static final int TAKES_FROM_OUTSIDE = 0;
  private static final int PASSES_ON = -1;
  private static final int NEVER = -2;

  /**
   * What an operator class is, found once per class: assembly runs for every operator the
   * application builds, and failed interface checks are not cheap.
   */
  private static final ClassValue<Integer> KIND =
      new ClassValue<>() {
        @Override
        protected Integer computeValue(Class<?> type) {
          if (ConnectableFlux.class.isAssignableFrom(type)) {
            return SHARES;
          }
          if (Callable.class.isAssignableFrom(type)) {
            // A scalar or callable source: nothing upstream, and Reactor's shortcuts for it stay.
            return NEVER;
          }
          if (!type.getName().startsWith("reactor.core.publisher.")) {
            return TAKES_FROM_OUTSIDE;
          }
          String name = type.getSimpleName();
          if (MERGED_BY_REACTOR.contains(name)) {
            return NEVER;
          }
          return SHARING.contains(name)
              ? SHARES
              : PASSING_ON.contains(name) ? PASSES_ON : TAKES_FROM_OUTSIDE;
        }
      };

  /** Sinks and processors, which hand their subscribers what another party emits. */
  private static final ClassValue<Boolean> EMITTER =
      new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
          return Sinks.Many.class.isAssignableFrom(type)
              || Sinks.One.class.isAssignableFrom(type)
              || Sinks.Empty.class.isAssignableFrom(type)
              || Processor.class.isAssignableFrom(type);
        }
      };

  private static boolean takesSignalsFromOutside(Scannable operator) {
    int kind = KIND.get(operator.getClass());
    if (kind != PASSES_ON) {
      return kind != NEVER;
    }
    Object parent = operator.scanUnsafe(Scannable.Attr.PARENT);
    return parent != null && EMITTER.get(parent.getClass());
  }

  private static <T> CoreSubscriber<T> ownScope(Scannable operator, CoreSubscriber<T> subscriber) {
    Object value;
    try {
      value = subscriber.currentContext().getOrDefault(SubscriberContext.KEY, null);
    } catch (RuntimeException e) {
      return subscriber; // a subscriber that cannot say: left as it is
    }
    if (value != null) {
      return new ScopedSubscriber<>(subscriber, SubscriberContext.carried(value));
    }
    // Outside any request: none where another pipeline's signals arrive. Elsewhere the thread's
    // state is the pipeline's own, and a pipeline started lazily by some request (a background
    // stream) must not keep that request's headers.
    boolean sharing = KIND.get(operator.getClass()) == SHARES;
    return sharing ? new ScopedSubscriber<>(subscriber, null) : subscriber;
  }

  private static Object entryOf(Runnable task) {
    Object subscriber = task;
    if (!(task instanceof CoreSubscriber) && task instanceof Scannable) {
      subscriber = ((Scannable) task).scanUnsafe(Scannable.Attr.ACTUAL);
    }
    if (!(subscriber instanceof CoreSubscriber)) {
      return null;
    }
    try {
      ContextView context = ((CoreSubscriber<?>) subscriber).currentContext();
      return context.getOrDefault(SubscriberContext.KEY, null);
    } catch (RuntimeException e) {
      return null; // a subscriber that cannot say: the task stays as it is
    }
  }

  /** Null (nothing to close) when the thread already holds exactly these headers. */
  private static CurrentHeaders.Scope open(CapturedHeaders headers) {
    return CurrentHeaders.get() == headers ? null : CurrentHeaders.open(headers);
  }

  private static void close(CurrentHeaders.Scope scope) {
    if (scope != null) {
      scope.close();
    }
  }

  /**
   * Delivers each signal, and passes each request, with the pipeline's headers current. It offers
   * its subscriber the fusion its upstream offers; values drained by fusion are taken with the
   * headers current too.
   */
  private static final class ScopedSubscriber<T>
      implements CoreSubscriber<T>, Fuseable.QueueSubscription<T>, Scannable {
    private final CoreSubscriber<? super T> actual;
    private final CapturedHeaders headers;
    private Subscription upstream;
    private Fuseable.QueueSubscription<T> queue;

    ScopedSubscriber(CoreSubscriber<? super T> actual, CapturedHeaders headers) {
      this.actual = actual;
      this.headers = headers;
    }

    @Override
    public Context currentContext() {
      return actual.currentContext();
    }

    @Override
    @SuppressWarnings("unchecked")
    public void onSubscribe(Subscription subscription) {
      upstream = subscription;
      if (subscription instanceof Fuseable.QueueSubscription) {
        queue = (Fuseable.QueueSubscription<T>) subscription;
      }
      CurrentHeaders.Scope scope = open(headers);
      try {
        actual.onSubscribe(this);
      } finally {
        close(scope);
      }
    }

    @Override
    public void onNext(T item) {
      CurrentHeaders.Scope scope = open(headers);
      try {
        actual.onNext(item);
      } finally {
        close(scope);
      }
    }

    @Override
    public void onError(Throwable error) {
      CurrentHeaders.Scope scope = open(headers);
      try {
        actual.onError(error);
      } finally {
        close(scope);
      }
    }

    @Override
    public void onComplete() {
      CurrentHeaders.Scope scope = open(headers);
      try {
        actual.onComplete();
      } finally {
        close(scope);
      }
    }

    @Override
    public void request(long n) {
      CurrentHeaders.Scope scope = open(headers);
      try {
        upstream.request(n);
      } finally {
        close(scope);
      }
    }

    @Override
    public void cancel() {
      upstream.cancel();
    }

    @Override
    public int requestFusion(int requestedMode) {
      return queue == null ? Fuseable.NONE : queue.requestFusion(requestedMode);
    }

    @Override
    public T poll() {
      CurrentHeaders.Scope scope = open(headers);
      try {
        return queue.poll();
      } finally {
        close(scope);
      }
    }

    @Override
    public int size() {
      return queue.size();
    }

    @Override
    public boolean isEmpty() {
      return queue.isEmpty();
    }

    @Override
    public void clear() {
      queue.clear();
    }

    @Override
    public Object scanUnsafe(Attr key) {
      if (key == Attr.PARENT) {
        return upstream;
      }
      if (key == Attr.ACTUAL) {
        return actual;
      }
      return key == Attr.RUN_STYLE ? Attr.RunStyle.SYNC : null;
    }
  }
}
