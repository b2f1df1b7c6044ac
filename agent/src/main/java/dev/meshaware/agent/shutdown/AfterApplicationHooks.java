package dev.meshaware.agent.shutdown;

import dev.meshaware.core.log.MeshLog;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;

/**
 * Runs a task once every application shutdown hook has finished. {@code Runtime.addShutdownHook}
 * cannot promise that: application hooks run all at once, in no order. The JVM's own shutdown
 * sequence can: it runs a short list of system hooks one after the other, and the application's
 * hooks are one of them (slot 1: start them all, then wait for every one), so a system hook in a
 * later slot runs after all of them, as the JDK's own delete-on-exit hook (slot 2) does. The JDK
 * registers system hooks through {@code JavaLangAccess.registerShutdownHook}; the agent reaches it
 * by having {@code java.base} export that package to it, the JDK's own door for agents.
 */
final class AfterApplicationHooks {
  /** Slots 0 to 2 are the JDK's (console, application hooks, delete-on-exit); 9 is the last. */
  private static final int FIRST_FREE_SLOT = 3;

  private static final int LAST_SLOT = 9;

  private AfterApplicationHooks() {}

  /** Registers {@code task}; false (with the reason logged) when the JVM does not allow it. */
  static boolean register(Instrumentation jvm, Runnable task) {
    try {
      // JDK 12 and later keep JavaLangAccess in jdk.internal.access; JDK 11 in jdk.internal.misc.
      String pkg =
          packageOf("jdk.internal.access.SharedSecrets", "jdk.internal.misc.SharedSecrets");
      jvm.redefineModule(
          Object.class.getModule(),
          Set.of(),
          Map.of(pkg, Set.of(AfterApplicationHooks.class.getModule())),
          Map.of(),
          Set.of(),
          Map.of());
      Object access =
          Class.forName(pkg + ".SharedSecrets").getMethod("getJavaLangAccess").invoke(null);
      Method register =
          Class.forName(pkg + ".JavaLangAccess")
              .getMethod("registerShutdownHook", int.class, boolean.class, Runnable.class);
      Runnable guarded =
          new Runnable() {
            @Override
            public void run() {
              runGuarded(task);
            }
          };
      // Take the last free slot, so that the JDK's later hooks, if any, still run first.
      for (int slot = LAST_SLOT; slot >= FIRST_FREE_SLOT; slot--) {
        try {
          register.invoke(access, slot, false, guarded);
          return true;
        } catch (InvocationTargetException e) {
          if (!(e.getCause() instanceof InternalError)) { // InternalError: slot taken
            throw e;
          }
        }
      }
      MeshLog.warn("no free system shutdown slot; the proxy will not be told to quit");
    } catch (Exception | LinkageError e) {
      MeshLog.warn(
          "cannot run after the application's shutdown hooks ("
              + e
              + "); the proxy will not be told to quit");
    }
    return false;
  }

  private static String packageOf(String... candidates) throws ClassNotFoundException {
    for (String candidate : candidates) {
      try {
        Class.forName(candidate, false, null);
        return candidate.substring(0, candidate.lastIndexOf('.'));
      } catch (ClassNotFoundException e) {
        // try the next
      }
    }
    throw new ClassNotFoundException(String.join(" or ", candidates));
  }

  private static void runGuarded(Runnable task) {
    try {
      task.run();
    } catch (Throwable t) {
      MeshLog.warn("after the shutdown hooks: " + t);
    }
  }
}
