package dev.meshaware.spring.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * A real Spring Boot application on a random loopback port (Tomcat for servlet, Reactor Netty for
 * reactive), started with {@code SpringApplication} as in production. Micrometer Tracing is hidden
 * unless a test asks for it, so that only meshaware touches the headers.
 */
public final class RunningApp implements AutoCloseable {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final ConfigurableApplicationContext context;

  private RunningApp(ConfigurableApplicationContext context) {
    this.context = context;
  }

  /** Starts the application; properties in {@code settings} as {@code key=value}. */
  public static RunningApp start(
      WebApplicationType type, Class<?> source, boolean tracing, String... settings) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("server.port", "0");
    properties.put("server.address", "127.0.0.1");
    properties.put("spring.main.banner-mode", "off");
    for (String setting : settings) {
      int equals = setting.indexOf('=');
      properties.put(setting.substring(0, equals), setting.substring(equals + 1));
    }
    ClassLoader loader =
        tracing
            ? RunningApp.class.getClassLoader()
            : new FilteredClassLoader("io.micrometer.tracing", "brave");
    SpringApplication application =
        new SpringApplication(new DefaultResourceLoader(loader), source);
    application.setWebApplicationType(type);
    application.setDefaultProperties(properties);
    return new RunningApp(application.run());
  }

  public ConfigurableApplicationContext context() {
    return context;
  }

  public int port() {
    return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
  }

  /** {@code GET path} with {@code headers}; the response. */
  public HttpResponse<String> get(String path, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
            .timeout(Duration.ofSeconds(30));
    headers.forEach(request::header);
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    context.close();
  }
}
