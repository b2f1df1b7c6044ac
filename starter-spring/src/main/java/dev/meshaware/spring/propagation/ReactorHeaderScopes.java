package dev.meshaware.spring.propagation;

import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.CurrentHeaders;
import dev.meshaware.core.propagation.SubscriberContext;
import java.util.Set;
import java.util.function.Function;
import org.reactivestreams.Processor;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
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
   * Reactor's operator hook for the operators where a signal can cross from one pipeline into
   * another: those that share one upstream among subscribers ({@code cache}, {@code share}, {@code
   * replay}, {@code publish}, their auto-connecting forms), those fed by callbacks from outside the
   * pipeline ({@code create}, {@code push}, {@code fromFuture}, {@code from} of another library's
   * publisher) and the first operator on a sink or processor. Each subscriber of such an operator
   * receives its signals with its own pipeline's headers: those of its context entry, or, outside a
   * WebFlux request, those current where it subscribed (none for work outside any request). Other
   * operators are left as they are: a signal that has crossed into a pipeline stays in it.
   */
  static Function<? super Publisher<Object>, ? extends Publisher<Object>> acrossPipelines() {
    return Operators.<Object>lift(
        ReactorHeaderScopes::joinsPipelines, (operator, subscriber) -> ownScope(subscriber));
  }

  /**
   * Operators that hand one upstream's signals to several subscribers, or take them from outside.
   */
  private static final Set<String> CROSSING_OPERATORS =
      Set.of(
          "MonoCacheTime",
          "MonoCacheInvalidateIf",
          "MonoCacheInvalidateWhen",
          "NextProcessor",
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

  private static final ClassValue<Boolean> CROSSING =
      new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
          return type.getName().startsWith("reactor.core.publisher.")
              && CROSSING_OPERATORS.contains(type.getSimpleName());
        }
      };

  private static boolean joinsPipelines(Scannable operator) {
    if (operator instanceof ConnectableFlux || CROSSING.get(operator.getClass())) {
      return true;
    }
    Object parent = operator.scanUnsafe(Scannable.Attr.PARENT);
    return parent instanceof Sinks.Many
        || parent instanceof Sinks.One
        || parent instanceof Sinks.Empty
        || parent instanceof Processor;
  }

  private static <T> CoreSubscriber<T> ownScope(CoreSubscriber<T> subscriber) {
    Object value;
    try {
      value = subscriber.currentContext().getOrDefault(SubscriberContext.KEY, null);
    } catch (RuntimeException e) {
      return subscriber; // a subscriber that cannot say: left as it is
    }
    CapturedHeaders headers =
        value != null ? SubscriberContext.carried(value) : CurrentHeaders.get();
    return new ScopedSubscriber<>(subscriber, headers);
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

  /** Delivers each signal, and passes each request, with the pipeline's headers current. */
  private static final class ScopedSubscriber<T> implements CoreSubscriber<T>, Subscription {
    private final CoreSubscriber<? super T> actual;
    private final CapturedHeaders headers;
    private Subscription upstream;

    ScopedSubscriber(CoreSubscriber<? super T> actual, CapturedHeaders headers) {
      this.actual = actual;
      this.headers = headers;
    }

    @Override
    public Context currentContext() {
      return actual.currentContext();
    }

    @Override
    public void onSubscribe(Subscription subscription) {
      upstream = subscription;
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
  }
}
