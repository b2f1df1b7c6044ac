package dev.meshaware.spring.diagnostics;

import dev.meshaware.spring.ClientCustomizerRegistrar;
import java.util.function.Consumer;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Adds {@link MeshDiagnosticsInterceptor} to every {@code RestTemplate} and {@code RestClient}, and
 * {@link MeshDiagnosticsFilterFunction} to every {@code WebClient}, built from Spring Boot's
 * builders.
 */
final class DiagnosticsCustomizerRegistrar extends ClientCustomizerRegistrar {
  DiagnosticsCustomizerRegistrar() {
    super("meshawareDiagnostics", "mesh failure diagnostics", "its failures are not explained");
  }

  @Override
  protected Consumer<Object> restTemplate(BeanFactory beans) {
    return RestTemplates.customizer(beans);
  }

  @Override
  protected Consumer<Object> restClient(BeanFactory beans) {
    return RestClients.customizer(beans);
  }

  @Override
  protected Consumer<Object> webClient(BeanFactory beans) {
    return WebClients.customizer();
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
