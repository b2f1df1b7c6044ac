package dev.meshaware.spring.actuate;

import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.spring.MovedBootType;
import dev.meshaware.spring.startup.StartupRecord;
import java.util.Map;
import java.util.function.Function;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Registers the {@code sidecar} health indicator. Boot 4.0 moved {@code HealthIndicator} and {@code
 * Health} from {@code org.springframework.boot.actuate.health} to {@code
 * org.springframework.boot.health.contributor}, with the same methods; the starter finds whichever
 * the application has ({@link MovedBootType}) and builds Boot's {@code Health} through its public
 * builder.
 */
final class SidecarHealthRegistrar
    implements ImportBeanDefinitionRegistrar, BeanClassLoaderAware, MovedBootType.Body {
  static final String BEAN_NAME = "sidecarHealthIndicator";

  private ClassLoader loader;

  @Override
  public void setBeanClassLoader(ClassLoader loader) {
    this.loader = loader;
  }

  @Override
  public void registerBeanDefinitions(
      AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
    Class<?> indicator =
        MovedBootType.find(
            loader,
            "org.springframework.boot.health.contributor.HealthIndicator",
            "org.springframework.boot.actuate.health.HealthIndicator");
    if (indicator == null || registry.containsBeanDefinition(BEAN_NAME)) {
      return;
    }
    MovedBootType.register(
        registry,
        BEAN_NAME,
        indicator,
        "health",
        SidecarHealthRegistrar.class,
        indicator.getName());
  }

  /** The indicator's {@code health()}, on the Boot whose {@code HealthIndicator} is {@code key}. */
  @Override
  public Function<Object[], Object> body(BeanFactory beans, String key) {
    ClassLoader classes =
        beans instanceof ConfigurableBeanFactory
            ? ((ConfigurableBeanFactory) beans).getBeanClassLoader()
            : ClassUtils.getDefaultClassLoader();
    Class<?> health =
        ClassUtils.resolveClassName(key.substring(0, key.lastIndexOf('.')) + ".Health", classes);
    SidecarHealthCheck check =
        new SidecarHealthCheck(
            beans.getBeanProvider(MeshawareSettings.class),
            beans.getBeanProvider(StartupRecord.class));
    return arguments -> build(health, check.check());
  }

  /** {@code Health.status(code).withDetails(details).build()}, on either Boot's Health. */
  private static Object build(Class<?> health, SidecarHealthCheck.Outcome outcome) {
    Object builder =
        ReflectionUtils.invokeMethod(
            ReflectionUtils.findMethod(health, "status", String.class), null, outcome.status());
    Class<?> builderType = builder.getClass();
    ReflectionUtils.invokeMethod(
        ReflectionUtils.findMethod(builderType, "withDetails", Map.class),
        builder,
        outcome.details());
    return ReflectionUtils.invokeMethod(ReflectionUtils.findMethod(builderType, "build"), builder);
  }
}
