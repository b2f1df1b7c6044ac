package dev.meshaware.agent.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.agent.library.Libraries;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ConstantDynamic;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * Advice is inlined into the library's own class files, some of which are Java 6 (Apache HttpClient
 * 4): there, an {@code invokedynamic} or a method handle constant makes the class fail to load with
 * a {@code ClassFormatError}, breaking the application. String {@code +} and lambdas compile to
 * exactly that, so no advice may contain them.
 */
class AdviceBytecodeTest {

  @Test
  void noAdviceUsesInvokedynamicOrMethodHandleConstants() throws Exception {
    List<TypeInstrumentation> all = new ArrayList<>(Libraries.everyInstrumentation());
    List<String> problems = new ArrayList<>();
    for (TypeInstrumentation instrumentation : all) {
      for (AdviceSpec spec : instrumentation.advice()) {
        problems.addAll(dynamicConstantsIn(spec.adviceClass()));
      }
    }
    assertThat(problems).isEmpty();
  }

  private List<String> dynamicConstantsIn(String adviceClass) throws Exception {
    List<String> problems = new ArrayList<>();
    String resource = adviceClass.replace('.', '/') + ".class";
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
      new ClassReader(in)
          .accept(
              new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(
                    int access, String name, String descriptor, String signature, String[] ex) {
                  String where = adviceClass + "." + name;
                  return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitInvokeDynamicInsn(
                        String indyName, String indyDescriptor, Handle bootstrap, Object... args) {
                      problems.add(where + ": invokedynamic " + indyName);
                    }

                    @Override
                    public void visitLdcInsn(Object value) {
                      if (value instanceof Handle || value instanceof ConstantDynamic) {
                        problems.add(where + ": ldc " + value);
                      }
                    }
                  };
                }
              },
              ClassReader.SKIP_FRAMES);
    }
    return problems;
  }
}
