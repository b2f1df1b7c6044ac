package dev.meshaware.spring.propagation;

import dev.meshaware.core.propagation.CurrentHeaders;
import dev.meshaware.core.propagation.PropagatingRunnable;
import java.util.Iterator;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.stream.Stream;
import org.springframework.core.task.TaskDecorator;
import org.springframework.scheduling.support.DelegatingErrorHandlingRunnable;

/**
 * Carries request headers into the tasks of Spring's executors and schedulers by core's rules
 * (README, "Isolation"), around the decorator the executor already had, which still runs exactly
 * once and sees the application's task, never one of meshaware's:
 *
 * <ul>
 *   <li>a one-shot task belongs to the request that submitted it, even when it runs after the
 *       response; one submitted outside any request runs with no headers, whatever the pool's
 *       thread held before;
 *   <li>periodic work (a {@code ThreadPoolTaskScheduler}'s fixed-rate and fixed-delay tasks, and
 *       the runs of a {@code Trigger}, cron included) carries nothing, unless {@code
 *       meshaware.propagation.periodic=inherit}: then every run carries the headers of the request
 *       that scheduled it;
 *   <li>an asynchronous {@code CompletableFuture} stage handed to the executor by another future's
 *       completion ({@code thenApplyAsync(fn, executor)} fired by a task or request that is not its
 *       registrar) runs with none ({@link CompletionCallbacks}).
 * </ul>
 *
 * <p>{@link ExecutorDecoratingPostProcessor} puts one on every Spring executor bean; an application
 * may also set one on an executor it does not expose as a bean.
 */
public final class HeaderForwardingTaskDecorator implements TaskDecorator {
  /**
   * Spring runs a {@code Trigger}'s schedule as a chain of one-shot tasks, each scheduled by this
   * class when the previous run ends; the decorator sees only the one-shot future.
   */
  private static final String TRIGGER_RUNNER =
      "org.springframework.scheduling.concurrent.ReschedulingRunnable";

  /**
   * Frames from {@link #schedulingOf} down to the scheduling call (some 5, a few more through a
   * proxy of the scheduler), with room to spare.
   */
  private static final int TRIGGER_DEPTH = 16;

  /** Frames looked at in all, proxies' included. */
  private static final int MAX_FRAMES = 96;

  private static final StackWalker STACK = StackWalker.getInstance();

  /**
   * {@code ConcurrentTaskScheduler} decorates a task (wrapped for its error handler first) before
   * it schedules it on the application's {@code ScheduledExecutorService}, so a repeating task is
   * told by the scheduling method.
   */
  private static final String AHEAD_SCHEDULER =
      "org.springframework.scheduling.concurrent.ConcurrentTaskScheduler";

  /**
   * Where Spring schedules {@code @Scheduled} methods (and a {@code SchedulingConfigurer}'s tasks):
   * never a request's work, even when a lazy bean's are scheduled while a request makes it.
   */
  private static final String SCHEDULED_METHODS =
      "org.springframework.scheduling.config.ScheduledTaskRegistrar";

  private final TaskDecorator applications;

  /**
   * Whether every task's scheduling is looked at (a few frames of the stack), or only a scheduler's
   * own wrapped tasks: a {@code ConcurrentTaskScheduler} hands a {@code Trigger}'s task to its
   * decorator as the application's plain {@code Runnable}, so a decorator that does not know its
   * executor looks at every task. Meshaware gives the executor beans whose plain tasks never repeat
   * a decorator that does not.
   */
  private final boolean everyTask;

  /** A decorator of its own, for an executor without one. */
  public HeaderForwardingTaskDecorator() {
    this(null);
  }

  /**
   * Runs {@code applications} (null: none) on each task first, then carries the headers; for any
   * Spring executor or scheduler.
   */
  public HeaderForwardingTaskDecorator(TaskDecorator applications) {
    this(applications, true);
  }

  private HeaderForwardingTaskDecorator(TaskDecorator applications, boolean everyTask) {
    this.applications = applications;
    this.everyTask = everyTask;
  }

  /**
   * The same decorator for an executor whose plain tasks are one-shots (all Spring's but {@code
   * ConcurrentTaskScheduler}): no stack is looked at for them.
   */
  HeaderForwardingTaskDecorator forOneShotExecutor() {
    return everyTask ? new HeaderForwardingTaskDecorator(applications, false) : this;
  }

  /** The same decorator, for any executor (a {@code ConcurrentTaskScheduler}). */
  HeaderForwardingTaskDecorator forAnyExecutor() {
    return everyTask ? this : new HeaderForwardingTaskDecorator(applications, true);
  }

  /** The decorator this one composes with, or null. */
  public TaskDecorator applications() {
    return applications;
  }

  /**
   * Set while one of these decorates on this thread: an application decorator that holds another
   * (as a {@code CompositeTaskDecorator} the application made itself) must not wrap the task a
   * second time, which could carry a request's headers into periodic work.
   */
  private static final ThreadLocal<Boolean> DECORATING = new ThreadLocal<>();

  @Override
  public Runnable decorate(Runnable task) {
    if (DECORATING.get() != null) {
      return applications == null ? task : applications.decorate(task);
    }
    // The application's decorator sees its own task; ours goes outside, so that the headers are
    // current while the application's decorator runs too.
    Runnable decorated;
    DECORATING.set(Boolean.TRUE);
    try {
      decorated = applications == null ? task : applications.decorate(task);
    } finally {
      DECORATING.set(null);
    }
    Scheduling scheduling = schedulingOf(task, everyTask);
    if (scheduling == Scheduling.PERIODIC) {
      return PropagatingRunnable.periodic(decorated);
    }
    if (scheduling == Scheduling.SCHEDULED_METHOD
        || (CurrentHeaders.get() != null
            && CompletionCallbacks.inAnotherCompletion(CompletionCallbacks.TASK_FRAMES))) {
      // A @Scheduled method (no request's work), or a task handed over inside a callback another
      // party's completion runs (an async stage, or a task the callback submits): its registrar
      // is not known here.
      try (CurrentHeaders.Scope none = CurrentHeaders.open(null)) {
        return PropagatingRunnable.owned(decorated);
      }
    }
    return PropagatingRunnable.owned(decorated);
  }

  /** What a task handed to a decorated executor is. */
  private enum Scheduling {
    /** One run, for whoever submitted it. */
    ONCE,
    /** Runs again and again: the periodic rule. */
    PERIODIC,
    /** Spring's scheduling of {@code @Scheduled} methods: never any request's. */
    SCHEDULED_METHOD
  }

  /**
   * Only a scheduler's tasks are looked at more closely: a {@code ThreadPoolTaskScheduler} hands
   * its decorator the executor's own future, a {@code ConcurrentTaskScheduler} its fixed-rate and
   * fixed-delay tasks (and a {@code SimpleAsyncTaskScheduler} its runs) wrapped for its error
   * handler, and every task to a decorator that does not know its executor; a known executor's
   * plain tasks cost no stack walk.
   */
  private static Scheduling schedulingOf(Runnable task, boolean everyTask) {
    if (task instanceof RunnableScheduledFuture) {
      boolean periodic = ((RunnableScheduledFuture<?>) task).isPeriodic();
      return STACK.walk(frames -> scheduledBy(frames, periodic));
    }
    if (everyTask || task instanceof DelegatingErrorHandlingRunnable) {
      return STACK.walk(frames -> scheduledBy(frames, false));
    }
    return Scheduling.ONCE;
  }

  /**
   * From the frames under the decoration: a {@code @Scheduled} method's scheduling; a {@code
   * Trigger}'s next run (scheduled from {@code ReschedulingRunnable}); a {@code
   * ConcurrentTaskScheduler}'s fixed rate, fixed delay or {@code Trigger}.
   */
  private static Scheduling scheduledBy(Stream<StackWalker.StackFrame> frames, boolean periodic) {
    Iterator<StackWalker.StackFrame> each = frames.limit(MAX_FRAMES).iterator();
    int counted = 0;
    while (each.hasNext() && counted < TRIGGER_DEPTH) {
      StackWalker.StackFrame frame = each.next();
      String type = frame.getClassName();
      if (type.equals(SCHEDULED_METHODS)) {
        return Scheduling.SCHEDULED_METHOD;
      }
      periodic |=
          type.equals(TRIGGER_RUNNER)
              || (type.equals(AHEAD_SCHEDULER)
                  && repeats(frame.getMethodName(), frame.getDescriptor()));
      if (!proxying(type)) {
        counted++;
      }
    }
    return periodic ? Scheduling.PERIODIC : Scheduling.ONCE;
  }

  /**
   * Frames a proxy of the scheduler adds (Spring AOP's interceptor chain, its CGLIB subclasses, JDK
   * proxies and reflection), not counted against the depth: an application may put any number of
   * interceptors around its scheduler.
   */
  private static boolean proxying(String type) {
    return type.startsWith("org.springframework.aop.")
        || type.contains("$$SpringCGLIB$$")
        || type.contains("$$EnhancerBySpringCGLIB$$")
        || type.startsWith("jdk.proxy")
        || type.startsWith("java.lang.reflect.")
        || type.startsWith("jdk.internal.reflect.")
        || type.startsWith("org.springframework.cglib.");
  }

  private static boolean repeats(String method, String descriptor) {
    return method.equals("scheduleAtFixedRate")
        || method.equals("scheduleWithFixedDelay")
        || (method.equals("schedule") && descriptor.contains("/Trigger;"));
  }
}
