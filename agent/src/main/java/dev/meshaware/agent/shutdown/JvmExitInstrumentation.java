package dev.meshaware.agent.shutdown;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.shutdown.JvmEnding;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * How the JVM begins to shut down: {@code java.lang.Shutdown.exit(status)} is where {@code
 * System.exit}, {@code Runtime.exit} and the JVM's own signal handlers all end; {@code
 * Shutdown.shutdown()} is what the JVM calls when the last non-daemon thread ended. Both run before
 * any shutdown hook.
 */
public final class JvmExitInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "jvm-exit";
  }

  @Override
  public List<String> typeNames() {
    return List.of("java.lang.Shutdown");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.method("exit", ExitAdvice.class, "int"),
        AdviceSpec.method("shutdown", LastThreadAdvice.class));
  }

  /** Notes the status an exit was asked with. */
  public static final class ExitAdvice {
    private ExitAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(0) int status) {
      JvmEnding.exitCalled(status);
    }
  }

  /** Notes that the JVM ends because its last thread did. */
  public static final class LastThreadAdvice {
    private LastThreadAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter() {
      JvmEnding.lastThreadEnded();
    }
  }
}
