package dev.meshaware.spring.propagation;

import dev.meshaware.spring.BlockingClientBeanPostProcessor;
import dev.meshaware.spring.ClientBeanPostProcessor.Hook;
import dev.meshaware.spring.ClientBeanPostProcessor.Position;
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
  private static final Hook FORWARDING =
      new Hook("header forwarding", "its calls carry no forwarded headers", Position.LAST);

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.web.client.RestClient")
  static class BlockingClients {
    @Bean
    static BlockingClientBeanPostProcessor meshawareBlockingClientHeaderForwarding(
        ObjectProvider<HeaderForwardingInterceptor> interceptor) {
      return new BlockingClientBeanPostProcessor(
          FORWARDING, HeaderForwardingInterceptor.class, interceptor::getObject);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.web.reactive.function.client.WebClient")
  static class WebClients {
    @Bean
    static WebClientBeanPostProcessor meshawareWebClientHeaderForwarding(
        ObjectProvider<HeaderForwardingFilterFunction> filter) {
      return new WebClientBeanPostProcessor(
          FORWARDING, HeaderForwardingFilterFunction.class, filter::getObject);
    }
  }
}
