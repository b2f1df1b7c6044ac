package dev.meshaware.spring.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.spring.diagnostics.MeshDiagnosticsInterceptor;
import dev.meshaware.spring.testing.AppMark;
import dev.meshaware.spring.testing.ClientMatrix;
import dev.meshaware.spring.testing.Downstream;
import dev.meshaware.spring.testing.Inbound;
import dev.meshaware.spring.testing.RunningApp;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A Spring MVC application on Tomcat that defines its own {@code RestClient.Builder} and {@code
 * WebClient.Builder} beans (Boot's back off) and builds its clients from them where it uses them,
 * never as beans: those clients forward the request's headers as the ones from Boot's builders do.
 */
class AppClientBuildersTest extends ClientMatrix {
  private static Downstream downstream;
  private static RunningApp app;

  static List<String> clients() {
    return List.of("restClient", "webClient");
  }

  @BeforeAll
  static void start() {
    downstream = new Downstream();
    app =
        RunningApp.start(
            WebApplicationType.SERVLET,
            App.class,
            false,
            "app.downstream=" + downstream.url(),
            "app.downstream-port=" + downstream.port(),
            "server.tomcat.threads.max=1",
            "server.tomcat.threads.min-spare=1",
            "meshaware.propagation.extra-headers=" + Inbound.EXTRA,
            "meshaware.propagation.exclude-hosts=localhost");
  }

  @AfterAll
  static void stop() {
    app.close();
    downstream.close();
  }

  @Override
  protected RunningApp app() {
    return app;
  }

  @Override
  protected Downstream downstream() {
    return downstream;
  }

  @Override
  protected String mark(String client) {
    return client;
  }

  @Test
  void theBuilderBeanGetsOursOnceAheadOfItsOwn() {
    RestClient.Builder builder = app.context().getBean(RestClient.Builder.class);
    List<Class<?>> types = new ArrayList<>();
    builder.requestInterceptors(list -> list.forEach(i -> types.add(i.getClass())));
    assertThat(types)
        .containsExactly(
            HeaderForwardingInterceptor.class, AppMark.class, MeshDiagnosticsInterceptor.class);
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

  /** {@code GET /call}, as {@link ClientMatrix} describes, through a client built here. */
  @RestController
  static class Calls {
    private final RestClient restClient;
    private final WebClient webClient;
    private final String downstream;
    private final String port;

    Calls(RestClient.Builder restClient, WebClient.Builder webClient, Environment environment) {
      this.restClient = restClient.build();
      this.webClient = webClient.build();
      this.downstream = environment.getProperty("app.downstream");
      this.port = environment.getProperty("app.downstream-port");
    }

    @GetMapping("/call")
    String call(
        @RequestParam("client") String client,
        @RequestParam("path") String path,
        @RequestParam(name = "host", required = false) String host,
        @RequestParam(name = "own", defaultValue = "false") boolean own) {
      String url = (host != null ? "http://" + host + ":" + port : downstream) + path;
      Consumer<HttpHeaders> headers =
          target -> {
            if (own) {
              target.set("x-request-id", OWN.get("x-request-id"));
              target.set("End-User", OWN.get(Inbound.EXTRA));
            }
          };
      if (client.equals("restClient")) {
        return restClient.get().uri(url).headers(headers).retrieve().body(String.class);
      }
      return webClient.get().uri(url).headers(headers).retrieve().bodyToMono(String.class).block();
    }
  }
}
