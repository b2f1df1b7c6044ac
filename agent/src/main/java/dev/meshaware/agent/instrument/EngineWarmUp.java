package dev.meshaware.agent.instrument;

import dev.meshaware.agent.instrument.practice.PracticeAdvice;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.List;

/**
 * Weaves {@link dev.meshaware.agent.instrument.practice.PracticeTarget} once on the background
 * thread, through the same code as every real target, and drops the result: Byte Buddy's advice
 * machinery is then loaded and has run once before the application loads its first target class, so
 * that class's load is not the one that pays for it. Leaves no trace in the startup report.
 */
public final class EngineWarmUp {
  static final String NAME = "practice";
  private static final String TARGET = "dev.meshaware.agent.instrument.practice.PracticeTarget";

  private EngineWarmUp() {}

  /** Starts the warm-up on the background thread (while the startup gate waits). Never throws. */
  public static void start(Instrumentation jvm) {
    Background.run(
        new Runnable() {
          @Override
          public void run() {
            if (Background.gateWaiting()) {
              practise(jvm);
            }
          }
        });
  }

  /** Weaves the practice class; true when the weaver changed it (it always should). */
  static boolean practise(Instrumentation jvm) {
    String internalName = TARGET.replace('.', '/');
    ClassLoader loader = EngineWarmUp.class.getClassLoader();
    byte[] bytes;
    try (InputStream in = loader.getResourceAsStream(internalName + ".class")) {
      if (in == null) {
        return false;
      }
      bytes = in.readAllBytes();
    } catch (IOException e) {
      return false;
    }
    TypeInstrumentation practice =
        new SimpleInstrumentation(
            NAME,
            List.of(TARGET),
            List.of(AdviceSpec.method("call", PracticeAdvice.class, "java.lang.String", "int")));
    return new AdviceWeaver(List.of(practice), jvm).practise(loader, internalName, bytes);
  }
}
