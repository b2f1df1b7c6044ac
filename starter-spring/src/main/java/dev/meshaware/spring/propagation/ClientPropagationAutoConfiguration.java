package dev.meshaware.spring.propagation;

import dev.meshaware.spring.ConditionalOnMeshawareFeature;
import dev.meshaware.spring.MeshawareFeatures;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Outbound: the builders Spring Boot creates for {@code RestTemplate}, {@code RestClient} and
 * {@code WebClient} get the forwarding interceptor or filter (through Boot's customizers, see
 * {@link HeaderForwardingCustomizerRegistrar}), so do the clients of those kinds the application
 * defines as beans itself ({@link SelfBuiltClientsConfiguration}); Feign clients get a request
 * interceptor ({@link FeignForwardingConfiguration}), and {@code OkHttpClient} beans an OkHttp
 * interceptor.
 */
@AutoConfiguration(after = PropagationAutoConfiguration.class)
@ConditionalOnMeshawareFeature(MeshawareFeatures.Feature.HEADER_FORWARDING)
@ConditionalOnBean(RequestHeaders.class)
@Import({
  HeaderForwardingCustomizerRegistrar.class,
  SelfBuiltClientsConfiguration.class,
  FeignForwardingConfiguration.class
})
public final class ClientPropagationAutoConfiguration {

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.http.client.ClientHttpRequestInterceptor")
  static class BlockingClientConfiguration {
    @Bean
    @ConditionalOnMissingBean
    HeaderForwardingInterceptor meshawareHeaderForwardingInterceptor(RequestHeaders headers) {
      return new HeaderForwardingInterceptor(headers);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.web.reactive.function.client.WebClient")
  static class WebClientConfiguration {
    @Bean
    @ConditionalOnMissingBean
    HeaderForwardingFilterFunction meshawareHeaderForwardingFilterFunction(RequestHeaders headers) {
      return new HeaderForwardingFilterFunction(headers);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "okhttp3.OkHttpClient")
  static class OkHttpConfiguration {
    @Bean
    @ConditionalOnMissingBean
    OkHttpHeaderInterceptor meshawareOkHttpHeaderInterceptor(RequestHeaders headers) {
      return new OkHttpHeaderInterceptor(headers);
    }

    /** Static: a post-processor must exist before the beans it processes. */
    @Bean
    static OkHttpClientPostProcessor meshawareOkHttpClientPostProcessor(
        ObjectProvider<OkHttpHeaderInterceptor> interceptor) {
      return new OkHttpClientPostProcessor(interceptor);
    }
  }
}
