package dev.meshaware.spring.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.spring.testing.AppMark;
import dev.meshaware.spring.testing.ClientMatrix;
import dev.meshaware.spring.testing.Downstream;
import dev.meshaware.spring.testing.Inbound;
import dev.meshaware.spring.testing.RunningApp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * A WebFlux application on Reactor Netty whose {@code WebClient} beans are built without Boot's
 * builder ({@code WebClient.create()}, {@code WebClient.builder()...build()} with its own filter):
 * inside each request's pipeline they forward its headers exactly once, none for a request without
 * (also between concurrent requests on the same event loops), never to an excluded host, never over
 * a header the application set itself.
 */
class SelfBuiltWebClientsTest extends ClientMatrix {
  private static Downstream downstream;
  private static RunningApp app;

  @BeforeAll
  static void start() {
    downstream = new Downstream();
    app =
        RunningApp.start(
            WebApplicationType.REACTIVE,
            App.class,
            false,
            "app.downstream=" + downstream.url(),
            "app.downstream-port=" + downstream.port(),
            "meshaware.propagation.extra-headers=" + Inbound.EXTRA,
            "meshaware.propagation.exclude-hosts=localhost");
  }

  @AfterAll
  static void stop() {
    app.close();
    downstream.close();
  }

  static List<String> clients() {
    return List.of("webClientCreate", "webClientBuilt");
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
    return client.endsWith("Built") ? client : null;
  }

  @Test
  void concurrentRequestsKeepTheirOwnHeaders() throws Exception {
    ExecutorService senders = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        Map<String, String> headers = new LinkedHashMap<>(Inbound.forwarded());
        headers.put("x-request-id", "request-" + i);
        // Every other request carries no headers at all: it must not pick up a neighbour's.
        Map<String, String> chosen = i % 2 == 0 ? headers : Map.of();
        String path = "/call?client=webClientCreate&path=/flux-iso-" + i;
        sent.add(senders.submit(() -> app.get(path, chosen)));
      }
      for (Future<?> future : sent) {
        future.get();
      }
    } finally {
      senders.shutdownNow();
    }
    for (int i = 0; i < 40; i++) {
      assertThat(Downstream.values(downstream.received("/flux-iso-" + i), "x-request-id"))
          .as("request " + i)
          .isEqualTo(i % 2 == 0 ? List.of("request-" + i) : List.of());
    }
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
   * {@code GET /call}, as {@link ClientMatrix} describes, in the request's pipeline, through the
   * {@code WebClient} bean named.
   */
  @RestController
  static class Calls {
    private final ApplicationContext context;
    private final String downstream;
    private final String port;

    Calls(ApplicationContext context, Environment environment) {
      this.context = context;
      this.downstream = environment.getProperty("app.downstream");
      this.port = environment.getProperty("app.downstream-port");
    }

    @GetMapping("/call")
    Mono<String> call(
        @RequestParam("client") String bean,
        @RequestParam("path") String path,
        @RequestParam(name = "host", required = false) String host,
        @RequestParam(name = "own", defaultValue = "false") boolean own) {
      String url =
          host != null
              ? "http://" + host + ":" + port + path
              : bean.endsWith("Built") ? path : downstream + path;
      return context
          .getBean(bean, WebClient.class)
          .get()
          .uri(url)
          .headers(
              headers -> {
                if (own) {
                  headers.set("x-request-id", OWN.get("x-request-id"));
                  headers.set("End-User", OWN.get(Inbound.EXTRA));
                }
              })
          .retrieve()
          .bodyToMono(String.class);
    }
  }
}
