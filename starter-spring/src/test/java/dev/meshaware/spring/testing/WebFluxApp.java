package dev.meshaware.spring.testing;

import java.time.Duration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A WebFlux service on Reactor Netty: {@code GET /call?path=/p} calls {@code ${app.downstream}/p}
 * with {@code WebClient} inside the request's pipeline; {@code /hop} does so after a timer and a
 * hop to another scheduler.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import(WebFluxApp.Calls.class)
public class WebFluxApp {

  @RestController
  public static class Calls {
    private final WebClient webClient;
    private final String downstream;

    public Calls(WebClient.Builder webClient, Environment environment) {
      this.webClient = webClient.build();
      this.downstream = environment.getProperty("app.downstream");
    }

    @GetMapping("/call")
    public Mono<String> call(@RequestParam("path") String path) {
      return webClient.get().uri(downstream + path).retrieve().bodyToMono(String.class);
    }

    @GetMapping("/hop")
    public Mono<String> hop(@RequestParam("path") String path) {
      return Mono.delay(Duration.ofMillis(20))
          .publishOn(Schedulers.boundedElastic())
          .flatMap(ignored -> call(path));
    }
  }
}
