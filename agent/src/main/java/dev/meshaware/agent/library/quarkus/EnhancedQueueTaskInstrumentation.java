package dev.meshaware.agent.library.quarkus;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.propagation.OwnedWork;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Across threads: jboss-threads' {@code EnhancedQueueExecutor} (Quarkus's worker pool, also
 * WildFly's) is recognised as an executor, so what {@code execute} is given belongs to the request
 * that gave it. But the pool wraps it in its own {@code Task} and runs it through a {@code
 * ContextHandler} (Quarkus's puts the Vert.x context back on the worker), so no {@code run()} of
 * the application's task is in the executor's own code: the task is run from {@code Task.doRunWith}
 * instead, which is where it gets its owner's headers, or none.
 */
public final class EnhancedQueueTaskInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "jboss-threads-task";
  }

  @Override
  public List<String> typeNames() {
    return List.of("org.jboss.threads.EnhancedQueueExecutor$Task");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.method("doRunWith", RunAdvice.class, "java.lang.Runnable", "java.lang.Object"));
  }

  /** Runs the application's task with its owner's headers. */
  public static final class RunAdvice {
    private RunAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(0) Runnable task) {
      OwnedWork.beginTask(task);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit() {
      OwnedWork.endTask();
    }
  }
}
