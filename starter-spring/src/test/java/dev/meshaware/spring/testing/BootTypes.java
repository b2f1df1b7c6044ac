package dev.meshaware.spring.testing;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.client.RestTemplate;

/**
 * Spring Boot types the tests need that Boot 4.0 moved to another package, found by name, so that
 * one test source runs against Boot 3.5 and 4.0.
 */
public final class BootTypes {
  private BootTypes() {}

  /** The first of {@code names} present; fails when none is. */
  public static Class<?> type(String... names) {
    for (String name : names) {
      if (ClassUtils.isPresent(name, BootTypes.class.getClassLoader())) {
        return ClassUtils.resolveClassName(name, BootTypes.class.getClassLoader());
      }
    }
    throw new IllegalStateException("none of " + String.join(", ", names));
  }

  public static Class<?> restTemplateCustomizer() {
    return type(
        "org.springframework.boot.restclient.RestTemplateCustomizer",
        "org.springframework.boot.web.client.RestTemplateCustomizer");
  }

  public static Class<?> restClientCustomizer() {
    return type(
        "org.springframework.boot.restclient.RestClientCustomizer",
        "org.springframework.boot.web.client.RestClientCustomizer");
  }

  public static Class<?> webClientCustomizer() {
    return type(
        "org.springframework.boot.webclient.WebClientCustomizer",
        "org.springframework.boot.web.reactive.function.client.WebClientCustomizer");
  }

  public static Class<?> healthIndicator() {
    return type(
        "org.springframework.boot.health.contributor.HealthIndicator",
        "org.springframework.boot.actuate.health.HealthIndicator");
  }

  /** A {@code RestTemplate} from the {@code RestTemplateBuilder} bean Boot created. */
  public static RestTemplate restTemplate(BeanFactory beans) {
    Object builder = beans.getBean("restTemplateBuilder");
    return (RestTemplate)
        ReflectionUtils.invokeMethod(
            ReflectionUtils.findMethod(builder.getClass(), "build"), builder);
  }
}
