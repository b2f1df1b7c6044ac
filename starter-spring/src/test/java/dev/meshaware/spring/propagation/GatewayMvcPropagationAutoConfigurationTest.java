package dev.meshaware.spring.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.meshaware.spring.testing.GatewayClassPath;
import dev.meshaware.spring.testing.RunningApp;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * Which proxy client a Gateway Server Web MVC application gets, as the conditions report tells it:
 * the gateway's own {@code RestClientProxyExchange} built by the starter while it forwards headers;
 * the gateway's, built by the gateway, when forwarding is off; the application's own bean, left
 * alone, when it has one.
 */
class GatewayMvcPropagationAutoConfigurationTest {
  // By name: the tests' class loader cannot link the starter's gateway classes.
  private static final String CONFIGURATION =
      "dev.meshaware.spring.propagation.GatewayMvcPropagationAutoConfiguration";
  private static final String GATEWAY =
      "org.springframework.cloud.gateway.server.mvc.GatewayServerMvcAutoConfiguration";

  private static ClassLoader loader;
  private static Class<Object> proxyExchange;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void gateway() throws ClassNotFoundException {
    assumeTrue(GatewayClassPath.WEBMVC.resolved(), "Gateway Server Web MVC is not resolved here");
    loader = GatewayClassPath.WEBMVC.loader(RunningApp.Tracing.NONE.loader());
    proxyExchange =
        (Class<Object>)
            loader.loadClass("org.springframework.cloud.gateway.server.mvc.handler.ProxyExchange");
  }

  private static WebApplicationContextRunner runner() {
    return new WebApplicationContextRunner()
        .withClassLoader(loader)
        .withUserConfiguration(Application.class);
  }

  @Test
  void buildsTheGatewaysProxyClientWhileForwardingHeaders() {
    runner()
        .run(
            context -> {
              assertThat(matched(context, CONFIGURATION)).isTrue();
              assertThat(context.getBeanNamesForType(proxyExchange))
                  .containsExactly("restClientProxyExchange");
              assertThat(context.getBean(proxyExchange).getClass().getName())
                  .isEqualTo(
                      "org.springframework.cloud.gateway.server.mvc.handler.RestClientProxyExchange");
            });
  }

  @Test
  void leavesTheProxyClientToTheGatewayWhenForwardingIsOff() {
    runner()
        .withPropertyValues("meshaware.propagation.enabled=false")
        .run(
            context -> {
              assertThat(matched(context, CONFIGURATION)).isFalse();
              assertThat(context.getBeanNamesForType(proxyExchange))
                  .containsExactly("restClientProxyExchange");
            });
  }

  @Test
  void leavesTheApplicationsOwnProxyExchangeAlone() {
    Object own =
        Proxy.newProxyInstance(
            loader, new Class<?>[] {proxyExchange}, (proxy, method, args) -> null);
    runner()
        .withBean("ownProxyExchange", proxyExchange, () -> own)
        .run(
            context -> {
              assertThat(context.getBeanNamesForType(proxyExchange))
                  .containsExactly("ownProxyExchange");
              assertThat(context.getBean(proxyExchange)).isSameAs(own);
            });
  }

  private static boolean matched(AssertableWebApplicationContext context, String source) {
    var outcomes =
        ConditionEvaluationReport.get(context.getBeanFactory())
            .getConditionAndOutcomesBySource()
            .get(source);
    return outcomes != null && outcomes.isFullMatch();
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class Application {}
}
