package dev.meshaware.spring;

import java.lang.reflect.Constructor;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * The bean {@link MovedBootType#register} defines: an implementation of a Boot interface found by
 * name, made when Spring first asks for it. Its definition holds only names, and its type as the
 * factory's type argument ({@code MovedBootTypeBean<RestClientCustomizer>}), both of which Spring
 * AOT writes into the generated code, so the bean is found by its interface there too.
 *
 * @param <T> the interface
 */
public final class MovedBootTypeBean<T>
    implements FactoryBean<T>, BeanFactoryAware, BeanClassLoaderAware {
  private final String typeName;
  private final String method;
  private final String bodyName;
  private final String key;
  private BeanFactory beans;
  private ClassLoader loader = ClassUtils.getDefaultClassLoader();

  /**
   * @param typeName the interface, e.g. {@code
   *     org.springframework.boot.restclient.RestClientCustomizer}
   * @param method its one abstract method
   * @param bodyName the {@link MovedBootType.Body} class
   * @param key what the body is asked for
   */
  public MovedBootTypeBean(String typeName, String method, String bodyName, String key) {
    this.typeName = typeName;
    this.method = method;
    this.bodyName = bodyName;
    this.key = key;
  }

  @Override
  public void setBeanFactory(BeanFactory beans) {
    this.beans = beans;
  }

  @Override
  public void setBeanClassLoader(ClassLoader loader) {
    this.loader = loader;
  }

  @Override
  @SuppressWarnings("unchecked")
  public T getObject() throws Exception {
    Class<?> bodyType = ClassUtils.forName(bodyName, loader);
    Constructor<?> constructor = ReflectionUtils.accessibleConstructor(bodyType);
    MovedBootType.Body body = (MovedBootType.Body) BeanUtils.instantiateClass(constructor);
    return (T) MovedBootType.implement(getObjectType(), method, body.body(beans, key));
  }

  @Override
  public Class<?> getObjectType() {
    return ClassUtils.resolveClassName(typeName, loader);
  }
}
