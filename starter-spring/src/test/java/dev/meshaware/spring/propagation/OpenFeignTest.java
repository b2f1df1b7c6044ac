package dev.meshaware.spring.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.spring.testing.ClientMatrix;
import dev.meshaware.spring.testing.Forwarding;
import dev.meshaware.spring.testing.Inbound;
import feign.RequestInterceptor;
import feign.RequestTemplate;
import feign.Target;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.openfeign.EnableFeignClients;
import org.springframework.cloud.openfeign.FeignClient;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring MVC application on Tomcat calling the downstream through Spring Cloud OpenFeign clients
 * (Feign's default client: {@code HttpURLConnection}, over loopback): they pass {@link
 * ClientMatrix} (the application's header set by the method's {@code @RequestHeader} arguments, and
 * by its own {@code RequestInterceptor}, which runs before ours); a client whose {@code url} is an
 * excluded host, or a {@code URI} argument naming one, gets none; values reach the downstream as
 * they came.
 */
class OpenFeignTest extends ClientMatrix {
  @Override
  protected Class<?> application() {
    return App.class;
  }

  @Override
  protected List<String> clients() {
    return List.of("feign");
  }

  @Override
  protected List<String> settings() {
    return List.of("app.excluded=http://localhost:" + downstream.port());
  }

  @Override
  protected String mark(String client) {
    return "feign";
  }

  @Test
  void aClientWhoseUrlIsAnExcludedHostSendsNone() throws Exception {
    call("excluded", "/by-url-", Inbound.all(), "");

    Forwarding.none(received("/by-url-", "excluded"), "excluded");
  }

  @Test
  void aUriArgumentsHostDecidesOverTheClients() throws Exception {
    call("excluded", "/by-argument-", Inbound.all(), "&host=127.0.0.1");

    Forwarding.exactly(received("/by-argument-", "excluded"), "excluded");
  }

  @Test
  void valuesAreSentAsTheyCameNotReadAsTemplates() throws Exception {
    Map<String, String> inbound = new LinkedHashMap<>(Inbound.all());
    inbound.put(Inbound.EXTRA, "{jason}");

    call("feign", "/braces-", inbound, "");

    Forwarding.exactly(received("/braces-", "feign"), "feign", Map.of(Inbound.EXTRA, "{jason}"));
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

  @Test
  void springCloudNamedThisHostWithoutLookingUpAnyOtherAddress() {
    // The build sets SPRING_CLOUD_INETUTILS_IGNOREDINTERFACES=.*: without it Spring Cloud would
    // name the host by a reverse DNS lookup of its first non-loopback address, off this machine.
    assertThat(app.context().getEnvironment().getProperty("spring.cloud.client.ip-address"))
        .isEqualTo("127.0.0.1");
  }

  private static URI destination(RequestTemplate template) {
    return FeignHeaderInterceptor.destination(template);
  }

  private static RequestTemplate client(String url) {
    return new RequestTemplate().feignTarget(new Target.HardCodedTarget<>(Object.class, url));
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
    /** The application's own, as {@link dev.meshaware.spring.testing.AppMark} for Feign. */
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

  /**
   * Through the Feign client {@code feign} (its url the downstream) or {@code excluded} (its url
   * the downstream by the name {@code localhost}); {@code host} goes as a {@code URI} argument,
   * {@link #OWN} as {@code @RequestHeader} arguments.
   */
  @RestController
  static class Calls extends Endpoint<String> {
    private final DownstreamClient downstream;
    private final ExcludedClient excluded;

    Calls(DownstreamClient downstream, ExcludedClient excluded, ApplicationContext context) {
      super(context);
      this.downstream = downstream;
      this.excluded = excluded;
    }

    @Override
    protected String through(String client, String path, String host, boolean own) {
      String segment = path.substring(1); // one path variable, without its slash
      URI base = host == null ? null : URI.create(url("", host));
      if (client.equals("excluded")) {
        return base != null ? excluded.at(base, segment) : excluded.get(segment);
      }
      if (base != null) {
        return downstream.at(base, segment);
      }
      return own
          ? downstream.get(segment, OWN.get("x-request-id"), OWN.get(Inbound.EXTRA))
          : downstream.get(segment, null, null);
    }
  }
}
