package dev.meshaware.spring.propagation;

import dev.meshaware.spring.ClientCustomizerRegistrar;
import java.util.function.Consumer;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Adds {@link HeaderForwardingInterceptor} to every {@code RestTemplate} and {@code RestClient},
 * and {@link HeaderForwardingFilterFunction} to every {@code WebClient}, built from Spring Boot's
 * builders.
 */
final class HeaderForwardingCustomizerRegistrar extends ClientCustomizerRegistrar {
  HeaderForwardingCustomizerRegistrar() {
    super("meshaware", "header forwarding", "its calls carry no forwarded headers");
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
    return WebClients.customizer(beans);
  }

  // One holder per client library, so that a class of an absent library is never loaded.

  private static final class RestTemplates {
    static Consumer<Object> customizer(BeanFactory beans) {
      return template ->
          ((RestTemplate) template)
              .getInterceptors()
              .add(beans.getBean(HeaderForwardingInterceptor.class));
    }
  }

  private static final class RestClients {
    static Consumer<Object> customizer(BeanFactory beans) {
      return builder ->
          ((RestClient.Builder) builder)
              .requestInterceptor(beans.getBean(HeaderForwardingInterceptor.class));
    }
  }

  private static final class WebClients {
    static Consumer<Object> customizer(BeanFactory beans) {
      return builder ->
          ((WebClient.Builder) builder).filter(beans.getBean(HeaderForwardingFilterFunction.class));
    }
  }
}
