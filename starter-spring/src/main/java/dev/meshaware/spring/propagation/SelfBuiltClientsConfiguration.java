package dev.meshaware.spring.propagation;

import dev.meshaware.spring.ClientBeanPostProcessor.Position;
import dev.meshaware.spring.RestClientBeanPostProcessor;
import dev.meshaware.spring.RestTemplateBeanPostProcessor;
import dev.meshaware.spring.WebClientBeanPostProcessor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Header forwarding for the {@code RestTemplate}, {@code RestClient} and {@code WebClient} beans
 * the application builds itself, and for the {@code RestClient.Builder} and {@code
 * WebClient.Builder} beans it defines in place of Boot's: ours goes first among their interceptors
 * or filters, so that the application's own see the request as it will be sent and may still
 * replace a header. Clients from Boot's builders have it already and are left alone.
 *
 * <p>Post-processors are static beans: they must exist before the beans they process.
 */
@Configuration(proxyBeanMethods = false)
class SelfBuiltClientsConfiguration {
  private static final String FEATURE = "header forwarding";
  private static final String WITHOUT_IT = "its calls carry no forwarded headers";

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.web.client.RestTemplate")
  static class RestTemplates {
    @Bean
    static RestTemplateBeanPostProcessor meshawareRestTemplateHeaderForwarding(
        ObjectProvider<HeaderForwardingInterceptor> interceptor) {
      return new RestTemplateBeanPostProcessor(
          FEATURE,
          WITHOUT_IT,
          Position.FIRST,
          HeaderForwardingInterceptor.class,
          interceptor::getObject);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.web.client.RestClient")
  static class RestClients {
    @Bean
    static RestClientBeanPostProcessor meshawareRestClientHeaderForwarding(
        ObjectProvider<HeaderForwardingInterceptor> interceptor) {
      return new RestClientBeanPostProcessor(
          FEATURE,
          WITHOUT_IT,
          Position.FIRST,
          HeaderForwardingInterceptor.class,
          interceptor::getObject);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.web.reactive.function.client.WebClient")
  static class WebClients {
    @Bean
    static WebClientBeanPostProcessor meshawareWebClientHeaderForwarding(
        ObjectProvider<HeaderForwardingFilterFunction> filter) {
      return new WebClientBeanPostProcessor(
          FEATURE,
          WITHOUT_IT,
          Position.FIRST,
          HeaderForwardingFilterFunction.class,
          filter::getObject);
    }
  }
}
