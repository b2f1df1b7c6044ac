package dev.meshaware.spring.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.spring.testing.Carried;
import dev.meshaware.spring.testing.Downstream;
import dev.meshaware.spring.testing.RunningApp;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Blocking clients called inside a WebFlux request's pipeline, on Reactor Netty, with the starter
 * alone: a {@code RestClient} and an {@code OkHttpClient} bean, called in {@code
 * Mono.fromCallable(...).subscribeOn(...)} (a one-thread {@code boundedElastic} and Reactor's
 * shared one), after {@code publishOn}, in a {@code flatMap} after a {@code WebClient} call (on the
 * client's event loop), in a controller method with a {@code @RequestBody} and after {@code
 * getFormData()} (after a body sent later than its headers arrived) and directly in a controller
 * method. Each call carries exactly its request's headers, none for a request without any, and the
 * threads that ran them run later requests and work outside any request with exactly theirs.
 *
 * <p>Spring Boot 3.5 builds no {@code RestClient.Builder} in a reactive application (4.0 does):
 * there the application's builder gets the starter's interceptor as Boot's customizer would give
 * it.
 */
class WebFluxBlockingClientTest {
  /** Sends the requests with a body (not a bean: meshaware leaves it alone). */
  private static final OkHttpClient SENDER =
      new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(30)).build();

  private static Downstream downstream;
  private static RunningApp app;

  @BeforeAll
  static void start() {
    downstream = new Downstream();
    app = Carried.start(WebApplicationType.REACTIVE, BlockingApp.class, downstream);
  }

  @AfterAll
  static void stop() {
    app.close();
    downstream.close();
  }

  @ParameterizedTest(name = "{0} with {1}")
  @CsvSource({
    "callable,restclient",
    "callable,okhttp",
    "shared,restclient",
    "shared,okhttp",
    "publish-on,restclient",
    "publish-on,okhttp",
    "after-webclient,restclient",
    "after-webclient,okhttp",
    "body,restclient",
    "body,okhttp",
    "form,restclient",
    "form,okhttp",
    "direct,restclient",
    "direct,okhttp"
  })
  void aBlockingCallInThePipelineCarriesItsRequestsHeadersOrNone(String where, String client)
      throws Exception {
    String[] owners = {"a", null, "b", "outside", "c", null, "outside"};
    List<String[]> sent = new ArrayList<>();
    List<String> threads = new ArrayList<>();
    for (int i = 0; i < owners.length; i++) {
      String path = "/" + where + "-" + client + "-" + i;
      String owner = owners[i];
      String answer;
      if ("outside".equals(owner)) {
        answer = outside(where, client, path);
        owner = null;
      } else {
        owner = owner == null ? null : "rid-" + where + "-" + client + "-" + i;
        answer = call(where, client, path, owner);
      }
      assertThat(answer).startsWith("down@");
      threads.add(answer.substring("down@".length()));
      sent.add(new String[] {path, owner});
    }
    for (String[] each : sent) {
      Carried.check(downstream, each[0], each[1]);
      if (where.equals("after-webclient") && !each[0].startsWith("/outside")) {
        Carried.check(downstream, each[0] + "-first", each[1]);
      }
    }
    if (where.equals("callable") || where.equals("publish-on")) {
      assertThat(threads.get(0)).startsWith("blocking-");
      assertThat(threads).as("the one blocking thread ran every call").containsOnly(threads.get(0));
    }
  }

  @Test
  void concurrentRequestsOnTheSameThreadsKeepTheirOwn() throws Exception {
    String[] wheres = {
      "callable", "shared", "publish-on", "after-webclient", "body", "form", "direct"
    };
    String[] clients = {"restclient", "okhttp"};
    Carried.concurrently(
        downstream,
        48,
        8,
        (i, requestId) -> {
          String where = wheres[i % wheres.length];
          String client = clients[(i / wheres.length) % 2];
          String path = "/concurrent-" + where + "-" + i;
          assertThat(call(where, client, path, requestId)).startsWith("down@");
          return path;
        });
  }

  /** The request for {@code where}; {@code requestId} null: without headers. */
  private static String call(String where, String client, String path, String requestId)
      throws IOException, InterruptedException {
    String target = "/" + where + "/" + client + "?path=" + path;
    if (!where.equals("body") && !where.equals("form")) {
      return app.get(target, Carried.headers(requestId)).body();
    }
    // The body is sent only once the application has subscribed to the request's pipeline, so
    // that it arrives in a later turn of the event loop, as a body that is slower than its
    // headers does. OkHttp sends the headers when the body flushes them.
    CountDownLatch subscribed = new CountDownLatch(1);
    BlockingApp.GATES.put(path, subscribed);
    String type = where.equals("form") ? "application/x-www-form-urlencoded" : "text/plain";
    String body = where.equals("form") ? "field=" + path : "a body of " + path;
    Request.Builder request =
        new Request.Builder()
            .url("http://127.0.0.1:" + app.port() + target)
            .header(BlockingApp.GATE, path)
            .post(gated(subscribed, MediaType.get(type), body));
    Carried.headers(requestId).forEach(request::header);
    try (Response response = SENDER.newCall(request.build()).execute()) {
      return response.body().string();
    } finally {
      BlockingApp.GATES.remove(path);
    }
  }

  /** A chunked {@code body} whose bytes follow the request's headers once {@code gate} opens. */
  private static okhttp3.RequestBody gated(CountDownLatch gate, MediaType type, String body) {
    return new okhttp3.RequestBody() {
      @Override
      public MediaType contentType() {
        return type;
      }

      @Override
      public long contentLength() {
        return -1;
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        sink.flush();
        try {
          if (!gate.await(30, TimeUnit.SECONDS)) {
            throw new IOException("the application never subscribed to the request");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(e);
        }
        sink.writeUtf8(body);
      }
    };
  }

  /**
   * The same blocking call made outside any request, on the threads {@code where} uses: the
   * blocking scheduler's, or (after a {@code WebClient} call made from this test's thread) the
   * client's event loop.
   */
  private static String outside(String where, String client, String path) {
    BlockingApp.Calls calls = app.context().getBean(BlockingApp.Calls.class);
    switch (where) {
      case "callable":
      case "publish-on":
        return Mono.fromCallable(() -> calls.blocking(client, path))
            .subscribeOn(calls.blocking)
            .block(Duration.ofSeconds(30));
      case "shared":
        return Mono.fromCallable(() -> calls.blocking(client, path))
            .subscribeOn(Schedulers.boundedElastic())
            .block(Duration.ofSeconds(30));
      default:
        return calls.afterWebClient(client, path).block(Duration.ofSeconds(30));
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(BlockingApp.Calls.class)
  static class BlockingApp {
    /** The header naming the gate a request's body waits behind (see {@link #call}). */
    static final String GATE = "x-test-gate";

    static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();

    @Bean
    OkHttpClient okHttpClient() {
      return new OkHttpClient();
    }

    /** Opens a request's gate while its pipeline is being subscribed, before its body is read. */
    @Bean
    WebFilter gateOpener() {
      return (exchange, chain) -> {
        String gate = exchange.getRequest().getHeaders().getFirst(GATE);
        if (gate != null) {
          GATES.get(gate).countDown();
        }
        return chain.filter(exchange);
      };
    }

    @RestController
    public static class Calls implements DisposableBean {
      /** One thread, so every call on it follows the previous one there. */
      final Scheduler blocking = Schedulers.newBoundedElastic(1, 1000, "blocking");

      private final RestClient restClient;
      private final OkHttpClient okHttp;
      private final WebClient webClient;
      private final String downstream;

      public Calls(
          ObjectProvider<RestClient.Builder> boots,
          ObjectProvider<HeaderForwardingInterceptor> interceptor,
          OkHttpClient okHttp,
          WebClient.Builder webClient,
          Environment environment) {
        RestClient.Builder builder =
            boots.getIfAvailable(
                () -> RestClient.builder().requestInterceptor(interceptor.getObject()));
        // The JDK's client: Reactor Netty's refuses to block on an event-loop thread.
        this.restClient = builder.requestFactory(new JdkClientHttpRequestFactory()).build();
        this.okHttp = okHttp;
        this.webClient = webClient.build();
        this.downstream = environment.getProperty("app.downstream");
      }

      /** The blocking call: "down@" and the thread it ran on. */
      String blocking(String client, String path) throws IOException {
        String url = downstream + path;
        String body;
        if (client.equals("okhttp")) {
          try (Response response =
              okHttp.newCall(new Request.Builder().url(url).build()).execute()) {
            body = response.body().string();
          }
        } else {
          body = restClient.get().uri(url).retrieve().body(String.class);
        }
        return body + "@" + Thread.currentThread().getName();
      }

      Mono<String> afterWebClient(String client, String path) {
        return webClient
            .get()
            .uri(downstream + path + "-first")
            .retrieve()
            .bodyToMono(String.class)
            .flatMap(first -> Mono.fromCallable(() -> blocking(client, path)));
      }

      @GetMapping("/callable/{client}")
      public Mono<String> callable(
          @PathVariable("client") String client, @RequestParam("path") String path) {
        return Mono.fromCallable(() -> blocking(client, path)).subscribeOn(blocking);
      }

      @GetMapping("/shared/{client}")
      public Mono<String> shared(
          @PathVariable("client") String client, @RequestParam("path") String path) {
        return Mono.fromCallable(() -> blocking(client, path))
            .subscribeOn(Schedulers.boundedElastic());
      }

      @GetMapping("/publish-on/{client}")
      public Mono<String> publishOn(
          @PathVariable("client") String client, @RequestParam("path") String path) {
        return Mono.just(path).publishOn(blocking).map(p -> unchecked(client, p));
      }

      @GetMapping("/after-webclient/{client}")
      public Mono<String> afterWebClientCall(
          @PathVariable("client") String client, @RequestParam("path") String path) {
        return afterWebClient(client, path);
      }

      @PostMapping("/body/{client}")
      public String body(
          @PathVariable("client") String client,
          @RequestParam("path") String path,
          @RequestBody String body)
          throws IOException {
        return blocking(client, path);
      }

      @PostMapping("/form/{client}")
      public Mono<String> form(
          @PathVariable("client") String client,
          @RequestParam("path") String path,
          ServerWebExchange exchange) {
        return exchange.getFormData().map(form -> unchecked(client, path));
      }

      @GetMapping("/direct/{client}")
      public String direct(@PathVariable("client") String client, @RequestParam("path") String path)
          throws IOException {
        return blocking(client, path);
      }

      private String unchecked(String client, String path) {
        try {
          return blocking(client, path);
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      public void destroy() {
        blocking.dispose();
      }
    }
  }
}
