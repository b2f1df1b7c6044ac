package dev.meshaware.spring.propagation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.diagnostics.MeshDiagnostics;
import dev.meshaware.spring.diagnostics.MeshDiagnosticsInterceptor;
import dev.meshaware.spring.testing.AppMark;
import dev.meshaware.spring.testing.BootTypes;
import dev.meshaware.spring.testing.ClientMatrix;
import dev.meshaware.spring.testing.Downstream;
import dev.meshaware.spring.testing.MeshLines;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.context.annotation.RequestScope;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A Spring MVC application on Tomcat whose {@code RestTemplate}, {@code RestClient} and {@code
 * WebClient} beans are built without Boot's builders ({@code new RestTemplate()}, a subclass,
 * {@code RestClient.create()}, {@code RestClient.builder()...build()} with its own interceptor, a
 * lazy, a request-scoped and a proxied bean, {@code WebClient.create()}, {@code
 * WebClient.builder()...build()}), beside beans from Boot's builders: each passes {@link
 * ClientMatrix}, reports mesh failures, and keeps everything it was built with.
 */
class SelfBuiltClientsTest extends ClientMatrix {
  /** Clients with an interceptor or filter of the application's own: it marks each call. */
  static final Set<String> INTERCEPTED =
      Set.of("restTemplateWithInterceptor", "restClientBuilt", "webClientBuilt");

  private MeshLines lines;

  @Override
  protected Class<?> application() {
    return App.class;
  }

  @Override
  protected List<String> clients() {
    return List.of(
        "newRestTemplate",
        "restTemplateSubclass",
        "restTemplateWithInterceptor",
        "bootRestTemplate",
        "restClientCreate",
        "restClientBuilt",
        "lazyRestClient",
        "requestScopedRestClient",
        "proxiedRestClient",
        "bootRestClient",
        "webClientCreate",
        "webClientBuilt",
        "bootWebClient");
  }

  @Override
  protected void beforeStart() {
    MeshDiagnostics.uninstall();
    lines = new MeshLines();
  }

  @Override
  protected void afterStop() {
    lines.close();
    MeshDiagnostics.uninstall();
  }

  @Override
  protected String mark(String client) {
    return INTERCEPTED.contains(client) ? client : null;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void meshFailuresOfEachClientAreObserved(String client) throws Exception {
    downstream.answer(
        "/envoy-" + client,
        aResponse()
            .withStatus(503)
            .withHeader("content-type", "text/plain")
            .withHeader("server", "envoy")
            .withBody("no healthy upstream"));
    double before = meshFailures();

    call(client, "/envoy-", Map.of(), "");

    assertThat(meshFailures() - before).isEqualTo(1.0);
  }

  @Test
  void clientsBuiltWithABaseUrlAndDefaultHeadersKeepThem() throws Exception {
    for (String client : List.of("restClientBuilt", "webClientBuilt")) {
      assertThat(call(client, "/kept-", Map.of(), "")).isEqualTo("down");
      assertThat(Downstream.values(received("/kept-", client), "x-app-default"))
          .as(client)
          .containsExactly("kept");
    }
  }

  @Test
  void clientsKeepTheirClassTheirOwnInterceptorsAndGetOursOnce() {
    ApplicationContext context = app.context();
    assertThat(context.getBean("restTemplateSubclass")).isExactlyInstanceOf(AppRestTemplate.class);
    assertThat(types(context.getBean("restTemplateWithInterceptor", RestTemplate.class)))
        // The application's own first: meshaware adds only what it did not set.
        .startsWith(AppMark.class)
        .containsExactlyInAnyOrder(
            AppMark.class, HeaderForwardingInterceptor.class, MeshDiagnosticsInterceptor.class);
    assertThat(types(context.getBean("bootRestTemplate", RestTemplate.class)))
        .containsExactlyInAnyOrder(
            HeaderForwardingInterceptor.class, MeshDiagnosticsInterceptor.class);

    RestClient built = context.getBean("restClientBuilt", RestClient.class);
    assertThat(built).isExactlyInstanceOf(RestClient.create().getClass());
    assertThat(types(built))
        // The application's own first: meshaware adds only what it did not set.
        .startsWith(AppMark.class)
        .containsExactlyInAnyOrder(
            AppMark.class, HeaderForwardingInterceptor.class, MeshDiagnosticsInterceptor.class);
    assertThat(types(context.getBean("bootRestClient", RestClient.class)))
        .containsExactlyInAnyOrder(
            HeaderForwardingInterceptor.class, MeshDiagnosticsInterceptor.class);
    assertThat(context.getBean("webClientBuilt"))
        .isExactlyInstanceOf(WebClient.create().getClass());

    RestClient proxied = context.getBean("proxiedRestClient", RestClient.class);
    assertThat(AopUtils.isAopProxy(proxied)).as("the application's proxy, kept").isTrue();
    assertThat(types(proxied))
        .containsExactlyInAnyOrder(
            HeaderForwardingInterceptor.class, MeshDiagnosticsInterceptor.class);
  }

  @Test
  void aClientWhoseMutateBuildsAnotherClassIsKeptAsItIsWithAWarning() {
    assertThat(Proxy.isProxyClass(app.context().getBean("wrappedRestClient").getClass()))
        .as("the application's own wrapper, kept")
        .isTrue();
    assertThat(
            lines.containing(
                "[meshaware] WARNING could not add header forwarding to bean 'wrappedRestClient'"))
        .as(lines.all().toString())
        .singleElement()
        .asString()
        .contains("its mutate() builds ")
        .endsWith("its calls carry no forwarded headers");
  }

  private static List<Class<?>> types(RestTemplate template) {
    return template.getInterceptors().stream().<Class<?>>map(Object::getClass).toList();
  }

  private static List<Class<?>> types(RestClient client) {
    List<Class<?>> types = new ArrayList<>();
    client.mutate().requestInterceptors(list -> list.forEach(i -> types.add(i.getClass())));
    return types;
  }

  private double meshFailures() {
    return app
        .context()
        .getBean(MeterRegistry.class)
        .find("meshaware.mesh.failures")
        .counters()
        .stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(Calls.class)
  static class App {
    @Bean
    RestTemplate newRestTemplate() {
      return new RestTemplate();
    }

    @Bean
    AppRestTemplate restTemplateSubclass() {
      return new AppRestTemplate();
    }

    @Bean
    RestTemplate restTemplateWithInterceptor() {
      RestTemplate template = new RestTemplate();
      template.getInterceptors().add(new AppMark("restTemplateWithInterceptor"));
      return template;
    }

    @Bean
    RestTemplate bootRestTemplate(BeanFactory beans) {
      return BootTypes.restTemplate(beans);
    }

    @Bean
    RestClient restClientCreate() {
      return RestClient.create();
    }

    @Bean
    RestClient restClientBuilt(Environment environment) {
      return RestClient.builder()
          .baseUrl(environment.getProperty("app.downstream"))
          .defaultHeader("x-app-default", "kept")
          .requestInterceptor(new AppMark("restClientBuilt"))
          .build();
    }

    @Bean
    @Lazy
    RestClient lazyRestClient() {
      return RestClient.create();
    }

    @Bean
    @RequestScope
    RestClient requestScopedRestClient() {
      return RestClient.create();
    }

    @Bean
    RestClient proxiedRestClient() {
      return RestClient.create();
    }

    /** Wraps {@code proxiedRestClient} in a proxy, as an aspect would. */
    @Bean
    static AppProxying appProxying() {
      return new AppProxying();
    }

    /** A wrapper of the application's own: its mutate() builds a plain RestClient. */
    @Bean
    RestClient wrappedRestClient() {
      RestClient client = RestClient.create();
      return (RestClient)
          Proxy.newProxyInstance(
              RestClient.class.getClassLoader(),
              new Class<?>[] {RestClient.class},
              (proxy, method, arguments) -> method.invoke(client, arguments));
    }

    @Bean
    RestClient bootRestClient(RestClient.Builder builder) {
      return builder.build();
    }

    @Bean
    WebClient webClientCreate() {
      return WebClient.create();
    }

    @Bean
    WebClient webClientBuilt(Environment environment) {
      return WebClient.builder()
          .baseUrl(environment.getProperty("app.downstream"))
          .defaultHeader("x-app-default", "kept")
          .filter(AppMark.filter("webClientBuilt"))
          .build();
    }

    @Bean
    WebClient bootWebClient(WebClient.Builder builder) {
      return builder.build();
    }
  }

  /** Ordered as an aspect's auto-proxy creator is. */
  static final class AppProxying implements BeanPostProcessor, Ordered {
    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
      if (!beanName.equals("proxiedRestClient")) {
        return bean;
      }
      ProxyFactory proxy = new ProxyFactory(bean);
      proxy.addAdvice((MethodInterceptor) MethodInvocation::proceed);
      return proxy.getProxy();
    }

    @Override
    public int getOrder() {
      return Ordered.HIGHEST_PRECEDENCE;
    }
  }

  /** An application's own subclass. */
  static class AppRestTemplate extends RestTemplate {}

  /** Through the client bean named (one built with a base URL is given the path alone). */
  @RestController
  static class Calls extends Endpoint<String> {
    Calls(ApplicationContext context) {
      super(context);
    }

    @Override
    protected String through(String bean, String path, String host, boolean own) {
      String url = host == null && bean.endsWith("Built") ? path : url(path, host);
      Consumer<HttpHeaders> headers = ClientMatrix.own(own);
      Object client = context.getBean(bean);
      try {
        if (client instanceof RestTemplate template) {
          HttpHeaders set = new HttpHeaders();
          headers.accept(set);
          return template
              .exchange(url, HttpMethod.GET, new HttpEntity<>(set), String.class)
              .getBody();
        }
        if (client instanceof RestClient restClient) {
          return restClient.get().uri(url).headers(headers).retrieve().body(String.class);
        }
        return ((WebClient) client)
            .get()
            .uri(url)
            .headers(headers)
            .retrieve()
            .bodyToMono(String.class)
            .block();
      } catch (RuntimeException e) {
        return "failed: " + e.getClass().getSimpleName();
      }
    }
  }
}
