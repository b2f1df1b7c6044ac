package dev.meshaware.spring.diagnostics;

import dev.meshaware.spring.ClientBeanPostProcessor.Position;
import dev.meshaware.spring.RestClientBeanPostProcessor;
import dev.meshaware.spring.RestTemplateBeanPostProcessor;
import dev.meshaware.spring.WebClientBeanPostProcessor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Mesh failure diagnostics for the {@code RestTemplate}, {@code RestClient} and {@code WebClient}
 * beans the application builds itself, and for the {@code RestClient.Builder} and {@code
 * WebClient.Builder} beans it defines in place of Boot's: the observer goes last among their
 * interceptors or filters, closest to the wire, so that it sees each attempt of an application
 * interceptor that retries. Clients from Boot's builders have it already and are left alone.
 *
 * <p>Post-processors are static beans: they must exist before the beans they process.
 */
@Configuration(proxyBeanMethods = false)
class SelfBuiltClientsDiagnosticsConfiguration {
  private static final String FEATURE = "mesh failure diagnostics";
  private static final String WITHOUT_IT = "its failures are not explained";

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.web.client.RestTemplate")
  static class RestTemplates {
    @Bean
    static RestTemplateBeanPostProcessor meshawareRestTemplateDiagnostics(
        ObjectProvider<MeshDiagnosticsInterceptor> interceptor) {
      return new RestTemplateBeanPostProcessor(
          FEATURE,
          WITHOUT_IT,
          Position.LAST,
          MeshDiagnosticsInterceptor.class,
          interceptor::getObject);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.web.client.RestClient")
  static class RestClients {
    @Bean
    static RestClientBeanPostProcessor meshawareRestClientDiagnostics(
        ObjectProvider<MeshDiagnosticsInterceptor> interceptor) {
      return new RestClientBeanPostProcessor(
          FEATURE,
          WITHOUT_IT,
          Position.LAST,
          MeshDiagnosticsInterceptor.class,
          interceptor::getObject);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.web.reactive.function.client.WebClient")
  static class WebClients {
    @Bean
    static WebClientBeanPostProcessor meshawareWebClientDiagnostics() {
      return new WebClientBeanPostProcessor(
          FEATURE,
          WITHOUT_IT,
          Position.LAST,
          MeshDiagnosticsFilterFunction.class,
          MeshDiagnosticsFilterFunction::new);
    }
  }
}
