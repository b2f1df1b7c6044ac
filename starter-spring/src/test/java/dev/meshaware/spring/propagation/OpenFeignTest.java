package dev.meshaware.spring.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.spring.testing.Downstream;
import dev.meshaware.spring.testing.Forwarding;
import dev.meshaware.spring.testing.Inbound;
import dev.meshaware.spring.testing.RunningApp;
import feign.RequestInterceptor;
import feign.RequestTemplate;
import feign.Target;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.openfeign.EnableFeignClients;
import org.springframework.cloud.openfeign.FeignClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring MVC application on Tomcat calling the downstream through Spring Cloud OpenFeign clients
 * (Feign's default client: {@code HttpURLConnection}, over loopback): each call carries the
 * request's headers exactly once, none for a request without, never to an excluded host (the
 * client's or the one a {@code URI} argument names), never over a header the method's arguments or
 * the application's own interceptor set. Tomcat serves with one thread.
 */
class OpenFeignTest {
  private static Downstream downstream;
  private static RunningApp app;

  @BeforeAll
  static void start() {
    downstream = new Downstream();
    app =
        RunningApp.start(
            WebApplicationType.SERVLET,
            App.class,
            false,
            "app.downstream=" + downstream.url(),
            "app.excluded=http://localhost:" + downstream.port(),
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

  @Test
  void forwardsTheRequestsHeadersExactlyOnceAndTheApplicationsInterceptorStillRuns()
      throws Exception {
    assertThat(app.get("/call/downstream?path=feign-fwd", Inbound.all()).body()).isEqualTo("down");

    Forwarding.exactly(downstream.received("/feign-fwd"), "feign");
    assertThat(Downstream.values(downstream.received("/feign-fwd"), "x-app-interceptor"))
        .containsExactly("feign");
  }

  @Test
  void aRequestWithoutHeadersForwardsNoneRightAfterOneWith() throws Exception {
    app.get("/call/downstream?path=feign-before", Inbound.all());
    assertThat(app.get("/call/downstream?path=feign-bare", Map.of()).body()).isEqualTo("down");

    Forwarding.exactly(downstream.received("/feign-before"), "feign");
    Forwarding.none(downstream.received("/feign-bare"), "feign");
  }

  @Test
  void headersTheMethodOrTheApplicationsInterceptorSetWin() throws Exception {
    app.get("/call/downstream?own=true&path=own-feign", Inbound.all());

    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("x-request-id", "app-own"); // @RequestHeader arguments
    expected.put(Inbound.EXTRA, "app-user");
    expected.put("x-b3-sampled", "0"); // the application's RequestInterceptor
    Forwarding.exactly(downstream.received("/own-feign"), "feign", expected);
  }

  @Test
  void anExcludedHostGetsNone() throws Exception {
    assertThat(app.get("/call/excluded?path=feign-excluded", Inbound.all()).body())
        .isEqualTo("down");

    Forwarding.none(downstream.received("/feign-excluded"), "feign");
  }

  @Test
  void theHostAUriArgumentNamesDecides() throws Exception {
    String excluded = "http://localhost:" + downstream.port();
    app.get("/call/downstream?base=" + excluded + "&path=feign-to-excluded", Inbound.all());
    app.get("/call/excluded?base=" + downstream.url() + "&path=feign-to-allowed", Inbound.all());

    Forwarding.none(downstream.received("/feign-to-excluded"), "feign");
    Forwarding.exactly(downstream.received("/feign-to-allowed"), "feign");
  }

  @Test
  void valuesAreSentAsTheyCameNotReadAsTemplates() throws Exception {
    Map<String, String> inbound = new LinkedHashMap<>(Inbound.all());
    inbound.put(Inbound.EXTRA, "{jason}");

    app.get("/call/downstream?path=feign-braces", inbound);

    Forwarding.exactly(
        downstream.received("/feign-braces"), "feign", Map.of(Inbound.EXTRA, "{jason}"));
  }

  @Test
  void theDestinationIsTheRequestsOriginOrNoneWhenUnreadable() {
    assertThat(destination(new RequestTemplate().target("http://a.example:81").uri("/x?q=1")))
        .as("a URI argument")
        .isEqualTo(URI.create("http://a.example:81"));
    assertThat(destination(client("http://b.example:82/base").uri("/x")))
        .as("the client's url")
        .isEqualTo(URI.create("http://b.example:82"));
    assertThat(destination(client("http://bad host:83").uri("/x")))
        .as("unreadable: core counts it as excluded while exclusions are set")
        .isNull();
    assertThat(destination(new RequestTemplate().uri("/x"))).as("no host at all").isNull();
  }

  private static URI destination(RequestTemplate template) {
    return FeignHeaderInterceptor.destination(template);
  }

  private static RequestTemplate client(String url) {
    return new RequestTemplate().feignTarget(new Target.HardCodedTarget<>(Object.class, url));
  }

  @Test
  void springCloudNamedThisHostWithoutLookingUpAnyOtherAddress() {
    // The build sets SPRING_CLOUD_INETUTILS_IGNOREDINTERFACES=.*: without it Spring Cloud would
    // name the host by a reverse DNS lookup of its first non-loopback address, off this machine.
    assertThat(app.context().getEnvironment().getProperty("spring.cloud.client.ip-address"))
        .isEqualTo("127.0.0.1");
  }

  @FeignClient(name = "downstream", url = "${app.downstream}")
  interface DownstreamClient {
    @GetMapping("/{path}")
    String get(
        @PathVariable("path") String path,
        @RequestHeader(name = "x-request-id", required = false) String requestId,
        @RequestHeader(name = "End-User", required = false) String endUser);

    @GetMapping("/{path}")
    String at(URI base, @PathVariable("path") String path);
  }

  @FeignClient(name = "excluded", url = "${app.excluded}")
  interface ExcludedClient {
    @GetMapping("/{path}")
    String get(@PathVariable("path") String path);

    @GetMapping("/{path}")
    String at(URI base, @PathVariable("path") String path);
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @EnableFeignClients(clients = {DownstreamClient.class, ExcludedClient.class})
  @Import(Calls.class)
  static class App {
    /**
     * The application's own: marks each call and, on a path starting {@code /own-}, sets a header.
     */
    @Bean
    RequestInterceptor appFeignInterceptor() {
      return template -> {
        template.header("x-app-interceptor", "feign");
        if (template.url().startsWith("/own-")) {
          template.header("x-b3-sampled", "0");
        }
      };
    }
  }

  /** {@code GET /call/{client}?path=p[&own=true][&base=url]}: calls through the Feign client. */
  @RestController
  static class Calls {
    private final DownstreamClient downstream;
    private final ExcludedClient excluded;

    Calls(DownstreamClient downstream, ExcludedClient excluded, Environment environment) {
      this.downstream = downstream;
      this.excluded = excluded;
    }

    @GetMapping("/call/{client}")
    String call(
        @PathVariable("client") String client,
        @RequestParam("path") String path,
        @RequestParam(name = "own", defaultValue = "false") boolean own,
        @RequestParam(name = "base", required = false) URI base) {
      if (client.equals("excluded")) {
        return base != null ? excluded.at(base, path) : excluded.get(path);
      }
      if (base != null) {
        return downstream.at(base, path);
      }
      return own ? downstream.get(path, "app-own", "app-user") : downstream.get(path, null, null);
    }
  }
}
