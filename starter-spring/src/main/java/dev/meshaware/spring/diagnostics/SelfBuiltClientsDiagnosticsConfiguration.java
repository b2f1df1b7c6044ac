package dev.meshaware.spring.diagnostics;

import dev.meshaware.spring.BlockingClientBeanPostProcessor;
import dev.meshaware.spring.ClientBeanPostProcessor.Hook;
import dev.meshaware.spring.ClientBeanPostProcessor.Position;
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
  private static final Hook DIAGNOSTICS =
      new Hook("mesh failure diagnostics", "its failures are not explained", Position.LAST);

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.web.client.RestClient")
  static class BlockingClients {
    @Bean
    static BlockingClientBeanPostProcessor meshawareBlockingClientDiagnostics(
        ObjectProvider<MeshDiagnosticsInterceptor> interceptor) {
      return new BlockingClientBeanPostProcessor(
          DIAGNOSTICS, MeshDiagnosticsInterceptor.class, interceptor::getObject);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.web.reactive.function.client.WebClient")
  static class WebClients {
    @Bean
    static WebClientBeanPostProcessor meshawareWebClientDiagnostics() {
      return new WebClientBeanPostProcessor(
          DIAGNOSTICS, MeshDiagnosticsFilterFunction.class, MeshDiagnosticsFilterFunction::new);
    }
  }
}
