package dev.meshaware.spring.propagation;

import dev.meshaware.core.propagation.CurrentHeaders;
import dev.meshaware.core.propagation.PropagatingRunnable;
import java.util.concurrent.RunnableScheduledFuture;
import org.springframework.core.task.TaskDecorator;

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

  /** Frames from {@link #isPeriodic} down to the scheduling call, with room to spare. */
  private static final int TRIGGER_DEPTH = 12;

  private static final StackWalker STACK = StackWalker.getInstance();

  /**
   * {@code ConcurrentTaskScheduler} decorates a task before it schedules it on the application's
   * {@code ScheduledExecutorService}, so a repeating task looks like any other here.
   */
  private static final String AHEAD_SCHEDULER =
      "org.springframework.scheduling.concurrent.ConcurrentTaskScheduler";

  private final TaskDecorator applications;

  /** Whether this decorates for a scheduler that decorates before scheduling (see above). */
  private final boolean scheduledAhead;

  /** A decorator of its own, for an executor without one. */
  public HeaderForwardingTaskDecorator() {
    this(null);
  }

  /** Runs {@code applications} (null: none) on each task first, then carries the headers. */
  public HeaderForwardingTaskDecorator(TaskDecorator applications) {
    this(applications, false);
  }

  private HeaderForwardingTaskDecorator(TaskDecorator applications, boolean scheduledAhead) {
    this.applications = applications;
    this.scheduledAhead = scheduledAhead;
  }

  /** The same, for a {@code ConcurrentTaskScheduler}. */
  HeaderForwardingTaskDecorator scheduledAhead() {
    return new HeaderForwardingTaskDecorator(applications, true);
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
    if (scheduledAhead ? isRepeatingAhead() : isPeriodic(task)) {
      return PropagatingRunnable.periodic(decorated);
    }
    if (CurrentHeaders.get() != null
        && CompletionCallbacks.inAnotherCompletion(CompletionCallbacks.TASK_FRAMES)) {
      // Handed over inside a callback another party's completion runs (an async stage, or a task
      // the callback submits): its registrar is not known here.
      try (CurrentHeaders.Scope none = CurrentHeaders.open(null)) {
        return PropagatingRunnable.owned(decorated);
      }
    }
    return PropagatingRunnable.owned(decorated);
  }

  /**
   * Whether a {@code ConcurrentTaskScheduler} decorates the task for a fixed rate, a fixed delay or
   * a {@code Trigger}: the scheduling method is a few frames down.
   */
  private static boolean isRepeatingAhead() {
    return STACK.walk(
        frames ->
            frames
                .limit(TRIGGER_DEPTH)
                .anyMatch(
                    frame ->
                        frame.getClassName().equals(AHEAD_SCHEDULER)
                            && repeats(frame.getMethodName(), frame.getDescriptor())));
  }

  private static boolean repeats(String method, String descriptor) {
    return method.equals("scheduleAtFixedRate")
        || method.equals("scheduleWithFixedDelay")
        || (method.equals("schedule") && descriptor.contains("/Trigger;"));
  }

  /**
   * A {@code ThreadPoolTaskScheduler} hands its decorator the executor's own future, which says
   * whether it repeats; a trigger's next run is scheduled from {@code ReschedulingRunnable}.
   */
  private static boolean isPeriodic(Runnable task) {
    if (!(task instanceof RunnableScheduledFuture)) {
      return false;
    }
    if (((RunnableScheduledFuture<?>) task).isPeriodic()) {
      return true;
    }
    return STACK.walk(
        frames ->
            frames
                .limit(TRIGGER_DEPTH)
                .anyMatch(frame -> frame.getClassName().equals(TRIGGER_RUNNER)));
  }
}
