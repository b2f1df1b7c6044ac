package dev.meshaware.agent.instrument;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.loading.ClassInjector;

/**
 * Defines classes in an application class loader through {@code ClassLoader.defineClass}, reached
 * by opening {@code java.lang} to the agent with {@link Instrumentation#redefineModule}, the JDK's
 * own door for agents. Byte Buddy's injectors for any class loader ({@code UsingReflection}, {@code
 * UsingUnsafe}) rely on {@code sun.misc.Unsafe}, whose memory-access methods are deprecated for
 * removal (JDK 24 and later warn on first use). {@code java.lang} is opened only when the first
 * class is defined: an application that loads no library with auxiliary types never has it opened.
 */
final class DefineClassInjection implements AgentBuilder.InjectionStrategy {
  private final Instrumentation jvm;
  private volatile Method[] methods;

  DefineClassInjection(Instrumentation jvm) {
    this.jvm = jvm;
  }

  @Override
  public ClassInjector resolve(ClassLoader loader, ProtectionDomain protectionDomain) {
    return new Injector(loader, protectionDomain, methods());
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

  /** Defines classes in one loader; a class the loader already has is kept, not defined again. */
  private static final class Injector extends ClassInjector.AbstractBase {
    private final ClassLoader loader;
    private final ProtectionDomain protectionDomain;
    private final Method findLoadedClass;
    private final Method defineClass;
    private final Method getClassLoadingLock;

    Injector(ClassLoader loader, ProtectionDomain protectionDomain, Method[] methods) {
      this.loader = loader;
      this.protectionDomain = protectionDomain;
      this.findLoadedClass = methods[0];
      this.defineClass = methods[1];
      this.getClassLoadingLock = methods[2];
    }

    @Override
    public boolean isAlive() {
      return loader != null;
    }

    @Override
    public Map<String, Class<?>> injectRaw(Set<String> names, ClassFileLocator locator) {
      Map<String, Class<?>> defined = new LinkedHashMap<>();
      try {
        for (String name : names) {
          // The lock the loader itself takes while loading this name, so a concurrent
          // loadClass() either sees our class or we see its.
          synchronized (getClassLoadingLock.invoke(loader, name)) {
            Class<?> type = (Class<?>) findLoadedClass.invoke(loader, name);
            if (type == null) {
              byte[] bytes = locator.locate(name).resolve();
              type =
                  (Class<?>)
                      defineClass.invoke(loader, name, bytes, 0, bytes.length, protectionDomain);
            }
            defined.put(name, type);
          }
        }
      } catch (InvocationTargetException e) {
        throw new IllegalStateException("cannot define auxiliary class in " + loader, e.getCause());
      } catch (IllegalAccessException | IOException e) {
        throw new IllegalStateException("cannot define auxiliary class in " + loader, e);
      }
      return defined;
    }
  }
}
