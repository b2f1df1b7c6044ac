package dev.meshaware.examples.spring;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * A Spring MVC service with no meshaware code: the starter dependency alone makes the trace headers
 * of each request reach the downstream call, made with a {@code RestClient} from Boot's builder.
 * Property {@code frontend.downstream}: the next service's URL (optional).
 */
@SpringBootApplication
@RestController
public class FrontendApplication {
  private final RestClient client;
  private final String downstream;

  public FrontendApplication(
      RestClient.Builder builder, @Value("${frontend.downstream:}") String downstream) {
    this.client = builder.build();
    this.downstream = downstream;
  }

  @GetMapping(value = "/", produces = "application/json")
  Map<String, Object> call(@RequestHeader HttpHeaders headers) {
    Map<String, Object> hop = new LinkedHashMap<>();
    hop.put("service", "frontend");
    for (String name : new String[] {"x-request-id", "x-b3-traceid", "x-b3-spanid"}) {
      hop.put(name, headers.getFirst(name));
    }
    if (!downstream.isEmpty()) {
      hop.put("next", client.get().uri(downstream).retrieve().body(Map.class));
    }
    return hop;
  }

  public static void main(String[] args) {
    SpringApplication.run(FrontendApplication.class, args);
  }
}
