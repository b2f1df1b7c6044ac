package dev.meshaware.examples.spring;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientAdapter;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;

/**
 * A Spring MVC service with no meshaware code, built the way real applications often are rather
 * than the way Boot's guides show: it makes its own {@code RestClient} ({@code
 * RestClient.create()}, no Boot builder), calls the next service through an {@code @HttpExchange}
 * interface on it, and does that from a thread of its own {@code ThreadPoolTaskExecutor}. The
 * starter dependency alone makes each request's trace headers reach the downstream call. Property
 * {@code frontend.downstream}: the next service's URL (optional).
 */
@SpringBootApplication
@RestController
public class FrontendApplication {
  /** The next service, as an interface. */
  interface Downstream {
    @GetExchange
    Map<String, Object> hop();
  }

  private final Downstream next;
  private final ThreadPoolTaskExecutor workers;
  private final boolean hasDownstream;

  public FrontendApplication(
      RestClient downstreamClient,
      ThreadPoolTaskExecutor frontendWorkers,
      @Value("${frontend.downstream:}") String downstream) {
    this.next =
        HttpServiceProxyFactory.builderFor(RestClientAdapter.create(downstreamClient))
            .build()
            .createClient(Downstream.class);
    this.workers = frontendWorkers;
    this.hasDownstream = !downstream.isEmpty();
  }

  @GetMapping(value = "/", produces = "application/json")
  Map<String, Object> call(@RequestHeader HttpHeaders headers) throws Exception {
    Map<String, Object> hop = new LinkedHashMap<>();
    hop.put("service", "frontend");
    for (String name : new String[] {"x-request-id", "x-b3-traceid", "x-b3-spanid"}) {
      hop.put(name, headers.getFirst(name));
    }
    if (hasDownstream) {
      hop.put("next", CompletableFuture.supplyAsync(next::hop, workers).get());
    }
    return hop;
  }

  /** The application's own clients and pools, defined the way it likes. */
  @Configuration(proxyBeanMethods = false)
  static class Clients {
    /** The application's own client, not built from Boot's builder. */
    @Bean
    RestClient downstreamClient(@Value("${frontend.downstream:}") String url) {
      return url.isEmpty() ? RestClient.create() : RestClient.create(url);
    }

    /** The application's own pool, not Boot's {@code applicationTaskExecutor}. */
    @Bean
    ThreadPoolTaskExecutor frontendWorkers() {
      ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutor();
      pool.setCorePoolSize(2);
      pool.setThreadNamePrefix("frontend-worker-");
      return pool;
    }
  }

  public static void main(String[] args) {
    SpringApplication.run(FrontendApplication.class, args);
  }
}
