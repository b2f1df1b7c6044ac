package dev.meshaware.spring.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.spring.diagnostics.MeshDiagnosticsInterceptor;
import dev.meshaware.spring.testing.AppMark;
import dev.meshaware.spring.testing.ClientMatrix;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A Spring MVC application on Tomcat that defines its own {@code RestClient.Builder} and {@code
 * WebClient.Builder} beans (Boot's back off) and builds its clients from them where it uses them,
 * never as beans: those clients pass {@link ClientMatrix}, as the ones from Boot's builders do.
 */
class AppClientBuildersTest extends ClientMatrix {
  @Override
  protected Class<?> application() {
    return App.class;
  }

  @Override
  protected List<String> clients() {
    return List.of("restClient", "webClient");
  }

  @Override
  protected String mark(String client) {
    return client;
  }

  @Test
  void theBuilderBeanGetsOursOnceAfterItsOwn() {
    RestClient.Builder builder = app.context().getBean(RestClient.Builder.class);
    List<Class<?>> types = new ArrayList<>();
    builder.requestInterceptors(list -> list.forEach(i -> types.add(i.getClass())));
    assertThat(types)
        // The application's own first: meshaware adds only what it did not set.
        .startsWith(AppMark.class)
        .containsExactlyInAnyOrder(
            AppMark.class, HeaderForwardingInterceptor.class, MeshDiagnosticsInterceptor.class);
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(Calls.class)
  static class App {
    @Bean
    RestClient.Builder appRestClientBuilder() {
      return RestClient.builder().requestInterceptor(new AppMark("restClient"));
    }

    @Bean
    WebClient.Builder appWebClientBuilder() {
      return WebClient.builder().filter(AppMark.filter("webClient"));
    }
  }

  /** Through a client built here. */
  @RestController
  static class Calls extends Endpoint<String> {
    private final RestClient restClient;
    private final WebClient webClient;

    Calls(RestClient.Builder restClient, WebClient.Builder webClient, ApplicationContext context) {
      super(context);
      this.restClient = restClient.build();
      this.webClient = webClient.build();
    }

    @Override
    protected String through(String client, String path, String host, boolean own) {
      if (client.equals("restClient")) {
        return restClient
            .get()
            .uri(url(path, host))
            .headers(ClientMatrix.own(own))
            .retrieve()
            .body(String.class);
      }
      return webClient
          .get()
          .uri(url(path, host))
          .headers(ClientMatrix.own(own))
          .retrieve()
          .bodyToMono(String.class)
          .block();
    }
  }
}
