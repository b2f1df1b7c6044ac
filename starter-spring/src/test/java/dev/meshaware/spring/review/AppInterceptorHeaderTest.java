package dev.meshaware.spring.review;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.meshaware.spring.testing.Downstream;
import dev.meshaware.spring.testing.Inbound;
import dev.meshaware.spring.testing.RunningApp;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/**
 * Review 16a: self-built client beans ({@code RestClient.builder()...build()}, {@code new
 * RestTemplate()}) whose own interceptor adds the forwarded {@code end-user} header itself (with
 * {@code add}, as the header was absent before meshaware): the call must carry exactly the
 * application's value, as it did before the starter put its interceptor first.
 */
class AppInterceptorHeaderTest {
  private static Downstream downstream;
  private static RunningApp app;

  @BeforeAll
  static void start() {
    downstream = new Downstream();
    app =
        RunningApp.start(
            WebApplicationType.SERVLET,
            InterceptorApp.class,
            false,
            "app.downstream=" + downstream.url(),
            "meshaware.propagation.extra-headers=" + Inbound.EXTRA);
  }

  @AfterAll
  static void stop() {
    app.close();
    downstream.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"restclient", "resttemplate"})
  void theApplicationsOwnHeaderIsTheOnlyValue(String client) throws Exception {
    String path = "/own-" + client;
    assertThat(
            app.get(
                    "/call?client=" + client + "&path=" + path,
                    Map.of("x-request-id", "rid-own", Inbound.EXTRA, "inbound-user"))
                .body())
        .isEqualTo("down");
    LoggedRequest received = downstream.received(path);
    assertThat(Downstream.values(received, Inbound.EXTRA))
        .as(path + ": the application's own " + Inbound.EXTRA)
        .containsExactly("app-user");
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(InterceptorApp.Calls.class)
  static class InterceptorApp {
    static final ClientHttpRequestInterceptor OWN =
        (request, body, execution) -> {
          request.getHeaders().add(Inbound.EXTRA, "app-user");
          return execution.execute(request, body);
        };

    @Bean
    RestClient ownRestClient() {
      return RestClient.builder().requestInterceptor(OWN).build();
    }

    @Bean
    RestTemplate ownRestTemplate() {
      RestTemplate template = new RestTemplate();
      template.getInterceptors().add(OWN);
      return template;
    }

    @RestController
    public static class Calls {
      private final RestClient restClient;
      private final RestTemplate restTemplate;
      private final String downstream;

      public Calls(RestClient ownRestClient, RestTemplate ownRestTemplate, Environment env) {
        this.restClient = ownRestClient;
        this.restTemplate = ownRestTemplate;
        this.downstream = env.getProperty("app.downstream");
      }

      @GetMapping("/call")
      public String call(@RequestParam("client") String client, @RequestParam("path") String path) {
        return client.equals("restclient")
            ? restClient.get().uri(downstream + path).retrieve().body(String.class)
            : restTemplate.getForObject(downstream + path, String.class);
      }
    }
  }
}
