package dev.meshaware.agent.propagation.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.config.ConfigSource;
import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.propagation.CapturedHeaders;
import dev.meshaware.core.propagation.CurrentHeaders;
import dev.meshaware.core.propagation.HeaderPolicy;
import dev.meshaware.core.propagation.Propagation;
import example.executors.QueueDrainingExecutor;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ownership weaving on its own: an application executor recognised by its type, woven, loaded
 * in a fresh class loader and driven under requests; no agent, no child JVM. (The executor lives
 * outside meshaware's packages, which are never woven.)
 */
class OwnershipWeavingTest {
  private HeaderPolicy policy;

  @BeforeEach
  void install() {
    policy = HeaderPolicy.from(MeshawareSettings.load(ConfigSource.of(Map.of(), Map.of())));
    Propagation.install(policy);
  }

  @AfterEach
  void uninstall() {
    Propagation.install(null);
  }

  private CurrentHeaders.Scope serving(String requestId) {
    String[] raw = new String[policy.nameCount()];
    raw[0] = requestId;
    return CurrentHeaders.open(policy.capture(raw));
  }

  private static String seen() {
    CapturedHeaders current = CurrentHeaders.get();
    return current == null ? "none" : current.get("x-request-id");
  }

  @Test
  void recognisesAnApplicationExecutorByItsTypeAndLeavesOtherClassesAlone() throws Exception {
    OwnershipTargets targets = new OwnershipTargets();
    ClassLoader app = getClass().getClassLoader();
    assertThat(
            targets.planFor(
                app, internalName(QueueDrainingExecutor.class), bytes(QueueDrainingExecutor.class)))
        .isNotNull();
    assertThat(
            targets.planFor(
                app, internalName(OwnershipWeavingTest.class), bytes(OwnershipWeavingTest.class)))
        .isNull();
  }

  @Test
  void aQueueDrainedByOneRequestRunsEachTaskAsTheRequestThatQueuedIt() throws Exception {
    Executor executor = wovenQueueDrainingExecutor();
    List<String> runs = new ArrayList<>();
    try (CurrentHeaders.Scope a = serving("A")) {
      executor.execute(() -> runs.add("a:" + seen()));
    }
    try (CurrentHeaders.Scope b = serving("B")) {
      executor.execute(() -> runs.add("b:" + seen()));
    }
    executor.execute(() -> runs.add("outside:" + seen()));
    Method drain = executor.getClass().getMethod("drain");
    try (CurrentHeaders.Scope c = serving("C")) {
      drain.invoke(executor);
      assertThat(seen()).as("the draining request's own state comes back").isEqualTo("C");
    }
    assertThat(runs).containsExactly("a:A", "b:B", "outside:none");
  }

  @Test
  void wovenCodeHasNoInvokedynamicAndLoadsWithoutFrameComputation() throws Exception {
    // Loading the woven class at all proves the frames stayed valid (the verifier runs).
    assertThat(wovenQueueDrainingExecutor()).isNotNull();
  }

  private Executor wovenQueueDrainingExecutor() throws Exception {
    String name = QueueDrainingExecutor.class.getName();
    byte[] original = bytes(QueueDrainingExecutor.class);
    OwnershipPlan plan =
        new OwnershipTargets()
            .planFor(
                getClass().getClassLoader(), internalName(QueueDrainingExecutor.class), original);
    ClassReader reader = new ClassReader(original);
    ClassWriter writer = new ClassWriter(reader, 0);
    OwnershipClassVisitor visitor = new OwnershipClassVisitor(writer, plan);
    reader.accept(visitor, 0);
    assertThat(visitor.changed()).isTrue();
    byte[] woven = writer.toByteArray();
    ClassLoader loader =
        new ClassLoader(getClass().getClassLoader()) {
          @Override
          protected Class<?> loadClass(String className, boolean resolve)
              throws ClassNotFoundException {
            if (className.equals(name)) {
              synchronized (getClassLoadingLock(className)) {
                Class<?> done = findLoadedClass(className);
                return done != null ? done : defineClass(className, woven, 0, woven.length);
              }
            }
            return super.loadClass(className, resolve);
          }
        };
    return (Executor) loader.loadClass(name).getConstructor().newInstance();
  }

  private static String internalName(Class<?> type) {
    return type.getName().replace('.', '/');
  }

  private static byte[] bytes(Class<?> type) throws Exception {
    try (InputStream in =
        type.getClassLoader().getResourceAsStream(internalName(type) + ".class")) {
      return in.readAllBytes();
    }
  }
}
