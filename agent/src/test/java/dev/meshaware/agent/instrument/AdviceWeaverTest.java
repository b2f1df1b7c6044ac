package dev.meshaware.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.log.AdviceFailures;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.List;
import net.bytebuddy.asm.Advice;
import org.junit.jupiter.api.Test;

/**
 * The weaving engine on its own: advice applied by name, targets of another shape left alone with
 * the reason recorded, and an advice that throws counted while the application's method runs on.
 */
class AdviceWeaverTest {
  private static final String TARGET = WeaverTarget.class.getName();

  @Test
  void appliesAdviceToTheNamedMethodOfTheNamedType() throws Exception {
    Object target = weaveAndLoad(instrumentation("t-apply", "greet", ReplaceArgument.class));

    assertThat(call(target, "greet", String.class, "app")).isEqualTo("hello woven");
    assertThat(ActiveInstrumentations.isActive("t-apply")).isTrue();
  }

  @Test
  void leavesATargetWithoutTheAdvisedMethodAloneAndSaysWhy() throws Exception {
    TypeInstrumentation missing = instrumentation("t-missing", "farewell", ReplaceArgument.class);

    assertThat(weave(missing)).isNull();
    assertThat(ActiveInstrumentations.skipped("t-missing"))
        .contains(TARGET)
        .contains("no method farewell(java.lang.String)");
  }

  @Test
  void anAdviceThatThrowsIsCountedAndTheApplicationMethodRunsAsWithoutIt() throws Exception {
    long before = AdviceFailures.total();
    Object target = weaveAndLoad(instrumentation("t-throws", "count", Throwing.class, "int"));

    assertThat(call(target, "count", int.class, 41)).isEqualTo(42);
    assertThat(call(target, "count", int.class, 1)).isEqualTo(2);
    assertThat(AdviceFailures.total() - before).isEqualTo(2);
    assertThat(AdviceFailures.summary()).contains("t-throws 2");
  }

  @Test
  void aTypeNoInstrumentationNamesIsNotEvenParsed() {
    AdviceWeaver weaver =
        new AdviceWeaver(List.of(instrumentation("t-other", "greet", ReplaceArgument.class)), null);
    assertThat(weaver.transform(null, loader(), "some/Other", null, null, new byte[] {1, 2, 3}))
        .isNull();
  }

  private static TypeInstrumentation instrumentation(
      String name, String method, Class<?> advice, String... parameters) {
    String[] types = parameters.length == 0 ? new String[] {"java.lang.String"} : parameters;
    return new SimpleInstrumentation(
        name, List.of(TARGET), List.of(AdviceSpec.method(method, advice, types)));
  }

  private static byte[] weave(TypeInstrumentation instrumentation) throws IOException {
    AdviceWeaver weaver = new AdviceWeaver(List.of(instrumentation), null);
    return weaver.transform(
        null, loader(), TARGET.replace('.', '/'), null, null, bytesOf(WeaverTarget.class));
  }

  private static Object weaveAndLoad(TypeInstrumentation instrumentation) throws Exception {
    byte[] woven = weave(instrumentation);
    assertThat(woven).as("woven").isNotNull();
    Class<?> type = new OneClassLoader(TARGET, woven).loadClass(TARGET);
    return type.getConstructor().newInstance();
  }

  private static Object call(Object target, String method, Class<?> parameter, Object argument)
      throws Exception {
    Method m = target.getClass().getMethod(method, parameter);
    return m.invoke(target, argument);
  }

  private static ClassLoader loader() {
    return AdviceWeaverTest.class.getClassLoader();
  }

  static byte[] bytesOf(Class<?> type) throws IOException {
    try (InputStream in =
        type.getClassLoader().getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
      return in.readAllBytes();
    }
  }

  /** Defines one class from given bytes, delegating everything else to the test's loader. */
  static final class OneClassLoader extends ClassLoader {
    private final String name;
    private final byte[] bytes;

    OneClassLoader(String name, byte[] bytes) {
      super(AdviceWeaverTest.class.getClassLoader());
      this.name = name;
      this.bytes = bytes;
    }

    @Override
    protected Class<?> loadClass(String wanted, boolean resolve) throws ClassNotFoundException {
      if (wanted.equals(name)) {
        synchronized (getClassLoadingLock(wanted)) {
          Class<?> loaded = findLoadedClass(wanted);
          return loaded != null ? loaded : defineClass(wanted, bytes, 0, bytes.length);
        }
      }
      return super.loadClass(wanted, resolve);
    }
  }

  /** Replaces the argument, as header-adding advice replaces a request. */
  public static final class ReplaceArgument {
    private ReplaceArgument() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(value = 0, readOnly = false) String name) {
      name = "woven";
    }
  }

  /** Throws on every call. */
  public static final class Throwing {
    private Throwing() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(0) int n) {
      if (n >= 0) {
        throw new IllegalStateException("advice bug " + n);
      }
    }
  }
}
