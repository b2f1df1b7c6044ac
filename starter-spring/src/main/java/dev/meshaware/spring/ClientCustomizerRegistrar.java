package dev.meshaware.spring;

import dev.meshaware.core.log.MeshLog;
import java.util.function.Consumer;
import java.util.function.Function;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;

/**
 * Registers Spring Boot customizers that add one feature's hook to every {@code RestTemplate},
 * {@code RestClient} and {@code WebClient} built from Boot's builders. Boot 4.0 moved the
 * customizer interfaces (to {@code org.springframework.boot.restclient} and {@code
 * org.springframework.boot.webclient}), so they are found by name ({@link MovedBootType}); a client
 * whose library or Boot support is absent gets no customizer.
 *
 * <p>Subclasses return their customizers as {@code Consumer<Object>} from holder classes of their
 * own, one per client library, so that no class of an absent library is ever loaded.
 */
public abstract class ClientCustomizerRegistrar
    implements ImportBeanDefinitionRegistrar, BeanClassLoaderAware, MovedBootType.Body {
  private static final String REST_TEMPLATE = "RestTemplateCustomizer";
  private static final String REST_CLIENT = "RestClientCustomizer";
  private static final String WEB_CLIENT = "WebClientCustomizer";

  private final String beanPrefix;
  private final String feature;
  private final String withoutIt;
  private ClassLoader loader;

  /**
   * {@code beanPrefix} starts the customizer beans' names; {@code feature} and {@code withoutIt}
   * word the warning when a client cannot be customized (e.g. "header forwarding", "its calls carry
   * no forwarded headers").
   */
  protected ClientCustomizerRegistrar(String beanPrefix, String feature, String withoutIt) {
    this.beanPrefix = beanPrefix;
    this.feature = feature;
    this.withoutIt = withoutIt;
  }

  /** Customizes a {@code RestTemplate}. */
  protected abstract Consumer<Object> restTemplate(BeanFactory beans);

  /** Customizes a {@code RestClient.Builder}. */
  protected abstract Consumer<Object> restClient(BeanFactory beans);

  /** Customizes a {@code WebClient.Builder}. */
  protected abstract Consumer<Object> webClient(BeanFactory beans);

  @Override
  public void setBeanClassLoader(ClassLoader loader) {
    this.loader = loader;
  }

  @Override
  public void registerBeanDefinitions(
      AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
    if (ClassUtils.isPresent("org.springframework.web.client.RestTemplate", loader)) {
      register(
          registry,
          REST_TEMPLATE,
          "org.springframework.boot.restclient.RestTemplateCustomizer",
          "org.springframework.boot.web.client.RestTemplateCustomizer");
    }
    if (ClassUtils.isPresent("org.springframework.web.client.RestClient", loader)) {
      register(
          registry,
          REST_CLIENT,
          "org.springframework.boot.restclient.RestClientCustomizer",
          "org.springframework.boot.web.client.RestClientCustomizer");
    }
    if (ClassUtils.isPresent(
        "org.springframework.web.reactive.function.client.WebClient", loader)) {
      register(
          registry,
          WEB_CLIENT,
          "org.springframework.boot.webclient.WebClientCustomizer",
          "org.springframework.boot.web.reactive.function.client.WebClientCustomizer");
    }
  }

  private void register(
      BeanDefinitionRegistry registry, String beanSuffix, String... interfaceNames) {
    String beanName = beanPrefix + beanSuffix;
    Class<?> type = MovedBootType.find(loader, interfaceNames);
    if (type != null && !registry.containsBeanDefinition(beanName)) {
      MovedBootType.register(registry, beanName, type, "customize", getClass(), beanSuffix);
    }
  }

  /** The customizer registered as {@code key}, made when Spring creates the bean. */
  @Override
  public Function<Object[], Object> body(BeanFactory beans, String key) {
    Consumer<Object> customize =
        key.equals(REST_TEMPLATE)
            ? restTemplate(beans)
            : key.equals(REST_CLIENT) ? restClient(beans) : webClient(beans);
    return arguments -> {
      try {
        customize.accept(arguments[0]);
      } catch (RuntimeException e) {
        // Never fail the application's client: it works, only without this feature.
        MeshLog.warn("could not add " + feature + " through " + key + " (" + e + "); " + withoutIt);
      }
      return null;
    };
  }
}
