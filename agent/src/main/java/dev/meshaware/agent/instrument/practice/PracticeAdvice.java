package dev.meshaware.agent.instrument.practice;

import net.bytebuddy.asm.Advice;

/** Advice for {@link PracticeTarget}, using the advice features the agent's own advice uses. */
public final class PracticeAdvice {
  private PracticeAdvice() {}

  /** Reads a field and an argument, replaces the argument. */
  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(
      @Advice.This Object self,
      @Advice.Argument(value = 0, readOnly = false) String name,
      @Advice.FieldValue("last") String last) {
    if (name == null) {
      name = "";
    }
    return last;
  }

  /** Reads what enter returned and the outcome, replaces the return value. */
  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter Object before,
      @Advice.Argument(1) int times,
      @Advice.Return(readOnly = false) String result,
      @Advice.Thrown Throwable thrown) {
    if (thrown == null && result == null && times > 0) {
      result = String.valueOf(before);
    }
  }
}
