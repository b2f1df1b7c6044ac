package dev.meshaware.spring.testing;

import io.opentelemetry.context.Context;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A Spring MVC service: {@code GET /call/{client}?path=/p} calls {@code ${app.downstream}/p} (by
 * default {@code /{client}}) through the named client, as an application would while serving a
 * request.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@EnableAsync
@Import({MvcApp.Calls.class, MvcApp.AsyncCalls.class})
public class MvcApp {
  /** The line a child JVM prints once it serves, followed by its port. */
  public static final String PORT_LINE = "APP-PORT ";

  /** Runs the service in a child JVM: prints {@link #PORT_LINE}, serves until killed. */
  public static void main(String[] args) {
    SpringApplication application = new SpringApplication(MvcApp.class);
    application.setWebApplicationType(org.springframework.boot.WebApplicationType.SERVLET);
    String port =
        application.run(args).getEnvironment().getProperty("local.server.port", "unknown");
    System.out.println(PORT_LINE + port);
  }

  @Bean
  OkHttpClient okHttpClient() {
    return new OkHttpClient();
  }

  @RestController
  public static class Calls {
    private final RestTemplate restTemplate;
    private final RestClient restClient;
    private final WebClient webClient;
    private final OkHttpClient okHttp;
    private final AsyncCalls async;
    private final String downstream;
    private final ExecutorService plainPool = Executors.newSingleThreadExecutor();

    public Calls(
        BeanFactory beans,
        RestClient.Builder restClient,
        WebClient.Builder webClient,
        OkHttpClient okHttp,
        AsyncCalls async,
        Environment environment) {
      this.restTemplate = BootTypes.restTemplate(beans);
      this.restClient = restClient.build();
      this.webClient = webClient.build();
      this.okHttp = okHttp;
      this.async = async;
      this.downstream = environment.getProperty("app.downstream");
    }

    @GetMapping("/call/{client}")
    public String call(
        @PathVariable("client") String client,
        @RequestParam(name = "path", required = false) String path)
        throws Exception {
      String url = downstream + (path != null ? path : "/" + client);
      switch (client) {
        case "resttemplate":
          return restTemplate.getForObject(url, String.class);
        case "restclient":
          return restClient.get().uri(url).retrieve().body(String.class);
        case "webclient":
          return webClient.get().uri(url).retrieve().bodyToMono(String.class).block();
        case "async":
          return async.call(url).join();
        case "okhttp":
          return okHttp(url);
        case "otel":
          // A plain pool that only OpenTelemetry's context wrapping carries anything into.
          return Context.taskWrapping(plainPool)
              .submit(() -> restClient.get().uri(url).retrieve().body(String.class))
              .get();
        default:
          throw new IllegalArgumentException(client);
      }
    }

    private String okHttp(String url) throws IOException {
      try (Response response = okHttp.newCall(new Request.Builder().url(url).build()).execute()) {
        return response.body().string();
      }
    }

    @EventListener(ContextClosedEvent.class)
    public void closed() {
      plainPool.shutdownNow();
    }
  }

  /** An {@code @Async} hop, run by the executor Spring Boot builds. */
  public static class AsyncCalls {
    private final RestClient restClient;

    public AsyncCalls(RestClient.Builder restClient) {
      this.restClient = restClient.build();
    }

    @Async
    public CompletableFuture<String> call(String url) {
      return CompletableFuture.completedFuture(
          restClient.get().uri(url).retrieve().body(String.class));
    }
  }
}
