package dev.meshaware.spring.propagation;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.meshaware.spring.testing.AppMark;
import dev.meshaware.spring.testing.ClientMatrix;
import dev.meshaware.spring.testing.Inbound;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientAdapter;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.support.WebClientAdapter;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;

/**
 * A Spring MVC application on Tomcat calling the downstream through {@code @HttpExchange} interface
 * clients: built by the application on a {@code RestClient} bean, on a {@code RestClient} from
 * Boot's builder and on a {@code WebClient} bean (Boot 3.5 and 4.x), and, where Spring Framework 7
 * has them, from the HTTP service registry's {@code RestClient} and {@code WebClient} groups, which
 * Boot 4 builds with its customizers (declared here as {@code @ImportHttpServices} would, by name,
 * so that this source compiles against Boot 3.5 too).
 */
class HttpExchangeClientsTest extends ClientMatrix {
  private static final String REGISTRY =
      "org.springframework.web.service.registry.ImportHttpServices";

  @Override
  protected Class<?> application() {
    return App.class;
  }

  @Override
  protected List<String> clients() {
    return List.of(
        "viaRestClientBean",
        "viaBootRestClient",
        "viaWebClientBean",
        "registry#" + DownstreamApi.class.getName(),
        "reactiveRegistry#" + DownstreamApi.class.getName());
  }

  @Override
  protected String mark(String client) {
    return Map.of("viaRestClientBean", "appRestClient", "viaWebClientBean", "appWebClient")
        .get(client);
  }

  @Override
  protected void assumeAvailable(String client) {
    assumeTrue(
        !client.contains("#") || ClassUtils.isPresent(REGISTRY, null),
        "Spring Framework 7's HTTP service registry");
  }

  @HttpExchange
  public interface DownstreamApi {
    @GetExchange
    String get(
        URI url,
        @RequestHeader(name = "x-request-id", required = false) String requestId,
        @RequestHeader(name = "End-User", required = false) String endUser);
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import({Calls.class, RegistryGroups.class})
  static class App {
    @Bean
    RestClient appRestClient() {
      return RestClient.builder().requestInterceptor(new AppMark("appRestClient")).build();
    }

    @Bean
    DownstreamApi viaRestClientBean(RestClient appRestClient) {
      return HttpServiceProxyFactory.builderFor(RestClientAdapter.create(appRestClient))
          .build()
          .createClient(DownstreamApi.class);
    }

    @Bean
    DownstreamApi viaBootRestClient(RestClient.Builder builder) {
      return HttpServiceProxyFactory.builderFor(RestClientAdapter.create(builder.build()))
          .build()
          .createClient(DownstreamApi.class);
    }

    @Bean
    WebClient appWebClient() {
      return WebClient.builder().filter(AppMark.filter("appWebClient")).build();
    }

    @Bean
    DownstreamApi viaWebClientBean(WebClient appWebClient) {
      return HttpServiceProxyFactory.builderFor(WebClientAdapter.create(appWebClient))
          .build()
          .createClient(DownstreamApi.class);
    }
  }

  /**
   * On Spring Framework 7, what {@code @ImportHttpServices(group = "registry", types =
   * DownstreamApi.class)} and its {@code WEB_CLIENT} twin {@code reactiveRegistry} declare:
   * Spring's own registrar, shown those annotations. Nothing on Spring Framework 6.
   */
  static class RegistryGroups
      implements ImportBeanDefinitionRegistrar,
          EnvironmentAware,
          ResourceLoaderAware,
          BeanFactoryAware,
          BeanClassLoaderAware {
    private Environment environment;
    private ResourceLoader resourceLoader;
    private BeanFactory beanFactory;
    private ClassLoader loader;

    @Override
    public void registerBeanDefinitions(
        AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
      if (!ClassUtils.isPresent(REGISTRY, loader)) {
        return;
      }
      @SuppressWarnings("unchecked")
      Class<Annotation> annotation =
          (Class<Annotation>) ClassUtils.resolveClassName(REGISTRY, loader);
      MergedAnnotations groups =
          MergedAnnotations.of(
              List.of(
                  group(annotation, "registry", "REST_CLIENT"),
                  group(annotation, "reactiveRegistry", "WEB_CLIENT")));
      Object registrar =
          BeanUtils.instantiateClass(
              ClassUtils.resolveClassName(
                  "org.springframework.web.service.registry.ImportHttpServiceRegistrar", loader));
      ((EnvironmentAware) registrar).setEnvironment(environment);
      ((ResourceLoaderAware) registrar).setResourceLoader(resourceLoader);
      ((BeanFactoryAware) registrar).setBeanFactory(beanFactory);
      ((BeanClassLoaderAware) registrar).setBeanClassLoader(loader);
      ((ImportBeanDefinitionRegistrar) registrar)
          .registerBeanDefinitions(showing(groups, metadata), registry);
    }

    private MergedAnnotation<Annotation> group(
        Class<Annotation> annotation, String name, String clientType) {
      Class<?> types =
          ClassUtils.resolveClassName(
              "org.springframework.web.service.registry.HttpServiceGroup$ClientType", loader);
      return MergedAnnotation.of(
          annotation,
          Map.of(
              "group",
              name,
              "types",
              new Class<?>[] {DownstreamApi.class},
              "clientType",
              enumConstant(types, clientType)));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumConstant(Class<?> type, String name) {
      return Enum.valueOf((Class<Enum>) type, name);
    }

    /** {@code metadata} whose annotations are {@code annotations}. */
    private AnnotationMetadata showing(MergedAnnotations annotations, AnnotationMetadata metadata) {
      return (AnnotationMetadata)
          Proxy.newProxyInstance(
              loader,
              new Class<?>[] {AnnotationMetadata.class},
              (proxy, method, arguments) ->
                  method.getName().equals("getAnnotations")
                      ? annotations
                      : method.invoke(metadata, arguments));
    }

    @Override
    public void setEnvironment(Environment environment) {
      this.environment = environment;
    }

    @Override
    public void setResourceLoader(ResourceLoader resourceLoader) {
      this.resourceLoader = resourceLoader;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
      this.beanFactory = beanFactory;
    }

    @Override
    public void setBeanClassLoader(ClassLoader loader) {
      this.loader = loader;
    }
  }

  /** Through the {@code @HttpExchange} client bean named, passing {@link #OWN} as arguments. */
  @RestController
  static class Calls extends Endpoint<String> {
    Calls(ApplicationContext context) {
      super(context);
    }

    @Override
    protected String through(String client, String path, String host, boolean own) {
      URI url = URI.create(url(path, host));
      DownstreamApi api = context.getBean(client, DownstreamApi.class);
      return own
          ? api.get(url, OWN.get("x-request-id"), OWN.get(Inbound.EXTRA))
          : api.get(url, null, null);
    }
  }
}
