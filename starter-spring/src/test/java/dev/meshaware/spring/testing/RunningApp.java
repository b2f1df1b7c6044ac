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
 * unless a test asks for it (one bridge at a time: Boot configures a single tracer), so that only
 * meshaware touches the headers.
 */
public final class RunningApp implements AutoCloseable {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final ConfigurableApplicationContext context;

  private RunningApp(ConfigurableApplicationContext context) {
    this.context = context;
  }

  /** Which Micrometer Tracing bridge the application sees. */
  public enum Tracing {
    NONE("io.micrometer.tracing", "brave", "io.opentelemetry.sdk"),
    BRAVE("io.micrometer.tracing.otel", "io.opentelemetry.sdk"),
    OPENTELEMETRY("io.micrometer.tracing.brave", "brave");

    private final String[] hidden;

    Tracing(String... hidden) {
      this.hidden = hidden;
    }

    /** The tests' class loader with the other bridges' packages hidden from Boot's conditions. */
    public ClassLoader loader() {
      return new FilteredClassLoader(hidden);
    }
  }

  /**
   * Starts the application, with Brave when {@code tracing}; properties in {@code settings} as
   * {@code key=value}.
   */
  public static RunningApp start(
      WebApplicationType type, Class<?> source, boolean tracing, String... settings) {
    return start(type, source, (tracing ? Tracing.BRAVE : Tracing.NONE).loader(), settings);
  }

  /** Starts the application with {@code tracing}. */
  public static RunningApp start(
      WebApplicationType type, Class<?> source, Tracing tracing, String... settings) {
    return start(type, source, tracing.loader(), settings);
  }

  /**
   * Starts the application with {@code loader} as its class loader (what Boot's conditions and the
   * application's factories see, e.g. {@link GatewayClassPath#loader}).
   */
  public static RunningApp start(
      WebApplicationType type, Class<?> source, ClassLoader loader, String... settings) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("server.port", "0");
    properties.put("server.address", "127.0.0.1");
    properties.put("spring.main.banner-mode", "off");
    for (String setting : settings) {
      int equals = setting.indexOf('=');
      properties.put(setting.substring(0, equals), setting.substring(equals + 1));
    }
    SpringApplication application =
        new SpringApplication(new DefaultResourceLoader(loader), source);
    application.setWebApplicationType(type);
    application.setDefaultProperties(properties);
    // Code that asks the thread's loader (ClassUtils.getDefaultClassLoader()) sees the same.
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      return new RunningApp(application.run());
    } finally {
      thread.setContextClassLoader(previous);
    }
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
