package dev.meshaware.spring.propagation;

import dev.meshaware.spring.ConditionalOnMeshawareFeature;
import dev.meshaware.spring.MeshawareFeatures;
import jakarta.servlet.DispatcherType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Inbound: captures each request's headers, before any other filter, in servlet (Spring MVC) and
 * reactive (WebFlux) applications.
 */
@AutoConfiguration(after = PropagationAutoConfiguration.class)
@ConditionalOnMeshawareFeature(MeshawareFeatures.Feature.HEADER_FORWARDING)
@ConditionalOnBean(RequestHeaders.class)
public final class ServerPropagationAutoConfiguration {

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(
      name = {
        "jakarta.servlet.Filter",
        "org.springframework.boot.web.servlet.FilterRegistrationBean"
      })
  static class ServletConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "meshawareHeaderCaptureFilter")
    FilterRegistrationBean<HeaderCaptureFilter> meshawareHeaderCaptureFilter(
        RequestHeaders requestHeaders) {
      FilterRegistrationBean<HeaderCaptureFilter> registration =
          new FilterRegistrationBean<>(new HeaderCaptureFilter(requestHeaders));
      registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
      registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
      return registration;
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
  @ConditionalOnClass(name = "org.springframework.web.server.WebFilter")
  static class ReactiveConfiguration {
    @Bean
    @ConditionalOnMissingBean
    HeaderCaptureWebFilter meshawareHeaderCaptureWebFilter() {
      return new HeaderCaptureWebFilter();
    }
  }
}
