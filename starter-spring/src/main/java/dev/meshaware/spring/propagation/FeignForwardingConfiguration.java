package dev.meshaware.spring.propagation;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Header forwarding for Feign clients (Spring Cloud OpenFeign): one {@code RequestInterceptor}
 * bean, which OpenFeign gives every client.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "feign.RequestInterceptor")
class FeignForwardingConfiguration {
  @Bean
  @ConditionalOnMissingBean
  FeignHeaderInterceptor meshawareFeignHeaderInterceptor(RequestHeaders headers) {
    return new FeignHeaderInterceptor(headers);
  }
}
