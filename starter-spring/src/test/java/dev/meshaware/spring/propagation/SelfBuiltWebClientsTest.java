package dev.meshaware.spring.propagation;

import dev.meshaware.spring.testing.AppMark;
import dev.meshaware.spring.testing.ClientMatrix;
import java.util.List;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * A WebFlux application on Reactor Netty whose {@code WebClient} beans are built without Boot's
 * builder ({@code WebClient.create()}, {@code WebClient.builder()...build()} with its own filter):
 * called inside each request's pipeline, they pass {@link ClientMatrix}. (Concurrent requests on
 * the same event loops: {@link WebFluxPropagationTest}, with the same filter.)
 */
class SelfBuiltWebClientsTest extends ClientMatrix {
  @Override
  protected Class<?> application() {
    return App.class;
  }

  @Override
  protected WebApplicationType webType() {
    return WebApplicationType.REACTIVE;
  }

  @Override
  protected List<String> clients() {
    return List.of("webClientCreate", "webClientBuilt");
  }

  @Override
  protected String mark(String client) {
    return client.endsWith("Built") ? client : null;
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(Calls.class)
  static class App {
    @Bean
    WebClient webClientCreate() {
      return WebClient.create();
    }

    @Bean
    WebClient webClientBuilt(Environment environment) {
      return WebClient.builder()
          .baseUrl(environment.getProperty("app.downstream"))
          .filter(AppMark.filter("webClientBuilt"))
          .build();
    }
  }

  /**
   * In the request's pipeline, through the {@code WebClient} bean named (one built with a base URL
   * is given the path alone).
   */
  @RestController
  static class Calls extends Endpoint<Mono<String>> {
    Calls(ApplicationContext context) {
      super(context);
    }

    @Override
    protected Mono<String> through(String bean, String path, String host, boolean own) {
      return context
          .getBean(bean, WebClient.class)
          .get()
          .uri(host == null && bean.endsWith("Built") ? path : url(path, host))
          .headers(ClientMatrix.own(own))
          .retrieve()
          .bodyToMono(String.class);
    }
  }
}
