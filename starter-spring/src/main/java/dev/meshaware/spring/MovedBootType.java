package dev.meshaware.spring;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Function;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConstructorArgumentValues;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;

/**
 * A Spring Boot callback interface that Boot 4.0 moved to another package: {@code
 * RestTemplateCustomizer}, {@code RestClientCustomizer}, {@code WebClientCustomizer}, {@code
 * HealthIndicator}. The starter is one jar for Boot 3.5 and 4.0, so it cannot name such an
 * interface in code; it finds whichever the application's Boot has, by name, and registers a bean
 * that implements it with a proxy forwarding the one callback method. Every other type the starter
 * uses lives in the same package in both versions.
 */
public final class MovedBootType {
  private MovedBootType() {}

  /** The first of {@code names} that {@code loader} can load, or null. */
  public static Class<?> find(ClassLoader loader, String... names) {
    for (String name : names) {
      if (ClassUtils.isPresent(name, loader)) {
        return ClassUtils.resolveClassName(name, loader);
      }
    }
    return null;
  }

  /**
   * What a bean registered through {@link #register} does when its one method is called. An
   * implementation has a no-argument constructor (it may be package-private): the bean makes one
   * when it is created.
   */
  public interface Body {
    /** The method's body for the bean registered under {@code key}: arguments in, result out. */
    Function<Object[], Object> body(BeanFactory beans, String key);
  }

  /**
   * Registers bean {@code beanName} implementing {@code type}, whose abstract method {@code method}
   * runs what {@code body} gives for {@code key}. The definition names only a class and text (no
   * instance supplier), so Spring AOT can write it as code; Spring sees the bean's type before it
   * exists, so {@code ObjectProvider<RestClientCustomizer>} and the like find it.
   */
  public static void register(
      BeanDefinitionRegistry registry,
      String beanName,
      Class<?> type,
      String method,
      Class<? extends Body> body,
      String key) {
    RootBeanDefinition definition = new RootBeanDefinition(MovedBootTypeBean.class);
    ConstructorArgumentValues arguments = definition.getConstructorArgumentValues();
    arguments.addIndexedArgumentValue(0, type.getName());
    arguments.addIndexedArgumentValue(1, method);
    arguments.addIndexedArgumentValue(2, body.getName());
    arguments.addIndexedArgumentValue(3, key);
    definition.setTargetType(ResolvableType.forClassWithGenerics(MovedBootTypeBean.class, type));
    definition.setAttribute(FactoryBean.OBJECT_TYPE_ATTRIBUTE, type);
    definition.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
    registry.registerBeanDefinition(beanName, definition);
  }

  static Object implement(Class<?> type, String method, Function<Object[], Object> body) {
    InvocationHandler handler =
        (proxy, called, arguments) -> {
          if (called.getDeclaringClass() == Object.class) {
            return objectMethod(proxy, called, arguments, type);
          }
          if (called.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, called, arguments);
          }
          if (called.getName().equals(method)) {
            return body.apply(arguments == null ? new Object[0] : arguments);
          }
          throw new UnsupportedOperationException("meshaware does not implement " + called);
        };
    return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
  }

  private static Object objectMethod(
      Object proxy, Method called, Object[] arguments, Class<?> type) {
    switch (called.getName()) {
      case "equals":
        return proxy == arguments[0];
      case "hashCode":
        return System.identityHashCode(proxy);
      default:
        return "meshaware " + type.getSimpleName();
    }
  }
}
