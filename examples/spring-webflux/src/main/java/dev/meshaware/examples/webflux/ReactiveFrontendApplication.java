package dev.meshaware.examples.webflux;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * A Spring WebFlux service with no meshaware code: the starter carries each request's trace headers
 * through the reactive pipeline to the {@code WebClient} call. Property {@code
 * frontend.downstream}: the next service's URL (optional).
 */
@SpringBootApplication
@RestController
public class ReactiveFrontendApplication {
  private final WebClient client;
  private final String downstream;

  public ReactiveFrontendApplication(
      WebClient.Builder builder, @Value("${frontend.downstream:}") String downstream) {
    this.client = builder.build();
    this.downstream = downstream;
  }

  @GetMapping(value = "/", produces = "application/json")
  Mono<Map<String, Object>> call(@RequestHeader HttpHeaders headers) {
    Map<String, Object> hop = new LinkedHashMap<>();
    hop.put("service", "frontend");
    for (String name : new String[] {"x-request-id", "x-b3-traceid", "x-b3-spanid"}) {
      if (headers.getFirst(name) != null) {
        hop.put(name, headers.getFirst(name));
      }
    }
    if (downstream.isEmpty()) {
      return Mono.just(hop);
    }
    return client
        .get()
        .uri(downstream)
        .retrieve()
        .bodyToMono(Map.class)
        .map(
            next -> {
              hop.put("next", next);
              return hop;
            });
  }

  public static void main(String[] args) {
    SpringApplication.run(ReactiveFrontendApplication.class, args);
  }
}
