package dev.meshaware.spring.diagnostics;

import dev.meshaware.core.log.MeshLog;
import dev.meshaware.spring.MovedBootType;
import java.util.function.Consumer;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Adds {@link MeshDiagnosticsInterceptor} to every {@code RestTemplate} and {@code RestClient}, and
 * {@link MeshDiagnosticsFilterFunction} to every {@code WebClient}, built from Spring Boot's
 * builders, through Boot's customizers, found by name as for the header forwarding (Boot 4.0 moved
 * them; see {@link MovedBootType}).
 */
final class DiagnosticsCustomizerRegistrar
    implements ImportBeanDefinitionRegistrar, BeanClassLoaderAware {
  private ClassLoader loader;

  @Override
  public void setBeanClassLoader(ClassLoader loader) {
    this.loader = loader;
  }

  @Override
  public void registerBeanDefinitions(
      AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
    BeanFactory beans = (BeanFactory) registry;
    if (ClassUtils.isPresent("org.springframework.web.client.RestTemplate", loader)) {
      register(
          registry,
          "meshawareDiagnosticsRestTemplateCustomizer",
          RestTemplates.customizer(beans),
          "org.springframework.boot.restclient.RestTemplateCustomizer",
          "org.springframework.boot.web.client.RestTemplateCustomizer");
    }
    if (ClassUtils.isPresent("org.springframework.web.client.RestClient", loader)) {
      register(
          registry,
          "meshawareDiagnosticsRestClientCustomizer",
          RestClients.customizer(beans),
          "org.springframework.boot.restclient.RestClientCustomizer",
          "org.springframework.boot.web.client.RestClientCustomizer");
    }
    if (ClassUtils.isPresent(
        "org.springframework.web.reactive.function.client.WebClient", loader)) {
      register(
          registry,
          "meshawareDiagnosticsWebClientCustomizer",
          WebClients.customizer(),
          "org.springframework.boot.webclient.WebClientCustomizer",
          "org.springframework.boot.web.reactive.function.client.WebClientCustomizer");
    }
  }

  private void register(
      BeanDefinitionRegistry registry,
      String beanName,
      Consumer<Object> customize,
      String... interfaceNames) {
    Class<?> type = MovedBootType.find(loader, interfaceNames);
    if (type != null && !registry.containsBeanDefinition(beanName)) {
      MovedBootType.register(
          registry,
          beanName,
          type,
          "customize",
          arguments -> {
            try {
              customize.accept(arguments[0]);
            } catch (RuntimeException e) {
              // Never fail the application's client: it works, only without diagnostics.
              MeshLog.warn(
                  "could not add mesh failure diagnostics through "
                      + type.getSimpleName()
                      + " ("
                      + e
                      + "); its failures are not explained");
            }
            return null;
          });
    }
  }

  // One holder per client library, so that a class of an absent library is never loaded.

  private static final class RestTemplates {
    static Consumer<Object> customizer(BeanFactory beans) {
      return template ->
          ((RestTemplate) template)
              .getInterceptors()
              .add(beans.getBean(MeshDiagnosticsInterceptor.class));
    }
  }

  private static final class RestClients {
    static Consumer<Object> customizer(BeanFactory beans) {
      return builder ->
          ((RestClient.Builder) builder)
              .requestInterceptor(beans.getBean(MeshDiagnosticsInterceptor.class));
    }
  }

  private static final class WebClients {
    static Consumer<Object> customizer() {
      MeshDiagnosticsFilterFunction filter = new MeshDiagnosticsFilterFunction();
      return builder -> ((WebClient.Builder) builder).filter(filter);
    }
  }
}
