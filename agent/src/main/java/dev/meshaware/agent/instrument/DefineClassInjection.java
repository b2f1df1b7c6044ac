package dev.meshaware.agent.instrument;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.dynamic.ClassFileLocator;

/**
 * Defines classes in an application class loader through {@code ClassLoader.defineClass}, reached
 * by opening {@code java.lang} to the agent with {@link Instrumentation#redefineModule}, the JDK's
 * own door for agents. Byte Buddy's injectors for any class loader ({@code UsingReflection}, {@code
 * UsingUnsafe}) rely on {@code sun.misc.Unsafe}, whose memory-access methods are deprecated for
 * removal (JDK 24 and later warn on first use). {@code java.lang} is opened only when the first
 * class is defined: an application that loads no library with auxiliary types never has it opened.
 */
final class DefineClassInjection {
  private final Instrumentation jvm;
  private volatile Method[] methods;

  DefineClassInjection(Instrumentation jvm) {
    this.jvm = jvm;
  }

  /** {@code findLoadedClass}, {@code defineClass}, {@code getClassLoadingLock}. */
  private Method[] methods() {
    Method[] current = methods;
    if (current == null) {
      synchronized (this) {
        current = methods;
        if (current == null) {
          jvm.redefineModule(
              Object.class.getModule(),
              Set.of(),
              Map.of(),
              Map.of("java.lang", Set.of(DefineClassInjection.class.getModule())),
              Set.of(),
              Map.of());
          try {
            current =
                new Method[] {
                  ClassLoader.class.getDeclaredMethod("findLoadedClass", String.class),
                  ClassLoader.class.getDeclaredMethod(
                      "defineClass",
                      String.class,
                      byte[].class,
                      int.class,
                      int.class,
                      ProtectionDomain.class),
                  ClassLoader.class.getDeclaredMethod("getClassLoadingLock", String.class)
                };
          } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
          }
          for (Method method : current) {
            method.setAccessible(true);
          }
          methods = current;
        }
      }
    }
    return current;
  }

  /**
   * Defines {@code names} (read from {@code classes}) in {@code loader}; a class the loader already
   * has is kept, not defined again.
   */
  void defineAll(
      ClassLoader loader,
      ProtectionDomain protectionDomain,
      Set<String> names,
      ClassFileLocator classes) {
    Method[] access = methods();
    try {
      for (String name : names) {
        // The lock the loader itself takes while loading this name, so a concurrent loadClass()
        // either sees our class or we see its.
        synchronized (access[2].invoke(loader, name)) {
          if (access[0].invoke(loader, name) == null) {
            byte[] bytes = classes.locate(name).resolve();
            access[1].invoke(loader, name, bytes, 0, bytes.length, protectionDomain);
          }
        }
      }
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("cannot define auxiliary class in " + loader, e.getCause());
    } catch (IllegalAccessException | IOException e) {
      throw new IllegalStateException("cannot define auxiliary class in " + loader, e);
    }
  }
}
