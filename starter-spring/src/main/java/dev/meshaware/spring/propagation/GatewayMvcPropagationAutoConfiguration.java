package dev.meshaware.spring.propagation;

import dev.meshaware.spring.ConditionalOnMeshawareFeature;
import dev.meshaware.spring.MeshawareFeatures;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.gateway.server.mvc.config.GatewayMvcProperties;
import org.springframework.cloud.gateway.server.mvc.handler.ProxyExchange;
import org.springframework.cloud.gateway.server.mvc.handler.RestClientProxyExchange;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestClient;

/**
 * Spring Cloud Gateway Server Web MVC: a route's proxied request already carries the inbound
 * request's headers, as the route's filters left them (the gateway copies them itself). Its proxy
 * client is a {@code RestClient} from Boot's builder, where {@link HeaderForwardingInterceptor}
 * would add back a header a route removed ({@code RemoveRequestHeader}). So the starter builds the
 * gateway's own {@link RestClientProxyExchange} as the gateway does, from the same builder with
 * every other customization, only without the header interceptor. An application's own {@link
 * ProxyExchange} bean is left alone. Gateway Server WebFlux needs nothing: its Netty client is none
 * of the clients the starter customizes.
 */
@AutoConfiguration(
    after = ClientPropagationAutoConfiguration.class,
    beforeName = "org.springframework.cloud.gateway.server.mvc.GatewayServerMvcAutoConfiguration")
@ConditionalOnClass(
    name = "org.springframework.cloud.gateway.server.mvc.handler.RestClientProxyExchange")
@ConditionalOnMeshawareFeature(MeshawareFeatures.Feature.HEADER_FORWARDING)
@ConditionalOnBean(HeaderForwardingInterceptor.class)
@ConditionalOnProperty(name = "spring.cloud.gateway.server.webmvc.enabled", matchIfMissing = true)
public final class GatewayMvcPropagationAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(ProxyExchange.class)
  RestClientProxyExchange restClientProxyExchange(
      RestClient.Builder builder, GatewayMvcProperties properties) {
    builder.requestInterceptors(
        interceptors -> interceptors.removeIf(HeaderForwardingInterceptor.class::isInstance));
    return new RestClientProxyExchange(builder.build(), properties);
  }
}
