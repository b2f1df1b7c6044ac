package dev.meshaware.agent.library.vertx;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.propagation.OwnedWork;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Across time: {@code vertx.setTimer} (and {@code context.setTimer}) makes one {@code
 * InternalTimerHandler} on the calling thread and schedules it on a Netty event loop. Scheduled
 * from the event loop itself, Netty queues it without passing through {@code execute}, so the timer
 * carries its owner itself: a one-shot timer the request that set it, a periodic one ({@code
 * setPeriodic}) none, as every periodic task (README, "Isolation: the contract").
 */
public final class VertxTimerInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "vertx-timer";
  }

  @Override
  public List<String> typeNames() {
    return List.of("io.vertx.core.impl.VertxImpl$InternalTimerHandler");
  }

  @Override
  public String presentWith() {
    return "io.vertx.core.Vertx";
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.constructor(
                MadeAdvice.class,
                "io.vertx.core.impl.VertxImpl",
                "long",
                "io.vertx.core.Handler",
                "boolean",
                "io.vertx.core.internal.ContextInternal")
            .asAlternative(),
        AdviceSpec.constructor(
                MadeAdvice.class,
                "io.vertx.core.impl.VertxImpl",
                "long",
                "io.vertx.core.Handler",
                "boolean",
                "io.vertx.core.impl.ContextInternal")
            .asAlternative(),
        AdviceSpec.method("run", RunAdvice.class));
  }

  /** A one-shot timer belongs to the current request (or none); a periodic one to none. */
  public static final class MadeAdvice {
    private MadeAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object timer, @Advice.Argument(3) boolean periodic) {
      OwnedWork.scheduled(timer, periodic);
    }
  }

  /** Fires the timer with its owner's headers. */
  public static final class RunAdvice {
    private RunAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object timer) {
      OwnedWork.beginTask(timer);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit() {
      OwnedWork.endTask();
    }
  }
}
