package dev.meshaware.agent.propagation;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.SimpleInstrumentation;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.propagation.PropagatingCallable;
import dev.meshaware.core.propagation.PropagatingRunnable;
import dev.meshaware.core.propagation.Propagation;
import java.util.List;
import java.util.concurrent.Callable;
import net.bytebuddy.asm.Advice;

/**
 * Thread hops through the JDK's executors. A task submitted while a request is being served is
 * wrapped so that it runs with that request's headers, even after the request ended (one-shot
 * fan-out belongs to its request). Periodic tasks are wrapped only under {@code
 * meshaware.propagation.periodic=inherit}. Outside a request nothing is wrapped.
 *
 * <p>{@code submit}, {@code invokeAll} and {@code CompletableFuture}'s async stages all end in
 * {@code execute}, so the few methods below cover them.
 */
public final class ExecutorInstrumentations {
  private static final String RUNNABLE = "java.lang.Runnable";
  private static final String CALLABLE = "java.util.concurrent.Callable";
  private static final String UNIT = "java.util.concurrent.TimeUnit";

  private ExecutorInstrumentations() {}

  /** All executor instrumentations. */
  public static List<TypeInstrumentation> all() {
    return List.of(
        new SimpleInstrumentation(
            "thread-pool-executor",
            List.of("java.util.concurrent.ThreadPoolExecutor"),
            List.of(AdviceSpec.method("execute", WrapRunnable.class, RUNNABLE))),
        // Tomcat's own copy of ThreadPoolExecutor runs AsyncContext.start(...) work.
        new SimpleInstrumentation(
            "tomcat-executor",
            List.of("org.apache.tomcat.util.threads.ThreadPoolExecutor"),
            List.of(AdviceSpec.method("execute", WrapRunnable.class, RUNNABLE))),
        new SimpleInstrumentation(
            "scheduled-executor",
            List.of("java.util.concurrent.ScheduledThreadPoolExecutor"),
            List.of(
                AdviceSpec.method("schedule", WrapRunnable.class, RUNNABLE, "long", UNIT),
                AdviceSpec.method("schedule", WrapCallable.class, CALLABLE, "long", UNIT),
                AdviceSpec.method(
                    "scheduleAtFixedRate", WrapPeriodic.class, RUNNABLE, "long", "long", UNIT),
                AdviceSpec.method(
                    "scheduleWithFixedDelay", WrapPeriodic.class, RUNNABLE, "long", "long", UNIT))),
        new SimpleInstrumentation(
            "fork-join-pool",
            List.of("java.util.concurrent.ForkJoinPool"),
            List.of(
                AdviceSpec.method("execute", WrapRunnable.class, RUNNABLE),
                AdviceSpec.method("submit", WrapRunnable.class, RUNNABLE),
                AdviceSpec.method("submit", WrapRunnable.class, RUNNABLE, "java.lang.Object"),
                AdviceSpec.method("submit", WrapCallable.class, CALLABLE))));
  }

  /** One-shot runnable: carries the current request's headers. */
  public static final class WrapRunnable {
    private WrapRunnable() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(value = 0, readOnly = false) Runnable task) {
      task = PropagatingRunnable.wrap(task);
    }
  }

  /** One-shot callable: carries the current request's headers. */
  public static final class WrapCallable {
    private WrapCallable() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(value = 0, readOnly = false) Callable<?> task) {
      task = PropagatingCallable.wrap(task);
    }
  }

  /** Periodic runnable: carries headers only when the user asked for it. */
  public static final class WrapPeriodic {
    private WrapPeriodic() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(value = 0, readOnly = false) Runnable task) {
      task = Propagation.periodic(task);
    }
  }
}
