package dev.meshaware.agent.library.vertx;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.propagation.OwnedWork;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Across threads: every task Vert.x runs on a worker thread ({@code executeBlocking}, a worker
 * verticle's or worker context's handlers, {@code runOnContext} there, a {@code WorkerExecutor}'s
 * work) is a {@code WorkerTask}, made on the thread that hands the work over. Ordered tasks go
 * through one queue whose drain loop is a single object shared by all requests, so the pool's own
 * rule (the submitter owns the task) cannot tell them apart: the task itself carries its maker's
 * request instead, and runs with exactly those headers, or none.
 */
public final class VertxWorkerTaskInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "vertx-worker-task";
  }

  @Override
  public List<String> typeNames() {
    return List.of("io.vertx.core.impl.WorkerTask");
  }

  @Override
  public String presentWith() {
    return "io.vertx.core.Vertx";
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.constructor(
            MadeAdvice.class, "io.vertx.core.spi.metrics.PoolMetrics", "java.lang.Object"),
        AdviceSpec.method("run", RunAdvice.class));
  }

  /** The current request (or none) owns the task it makes. */
  public static final class MadeAdvice {
    private MadeAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object task) {
      OwnedWork.defined(task);
    }
  }

  /** Runs the task with its owner's headers. */
  public static final class RunAdvice {
    private RunAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.This Object task) {
      return OwnedWork.enterDefined(task);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object scope) {
      OwnedWork.exit(scope);
    }
  }
}
