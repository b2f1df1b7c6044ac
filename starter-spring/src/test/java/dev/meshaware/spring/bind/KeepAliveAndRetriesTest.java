package dev.meshaware.spring.bind;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.diagnostics.MeshDiagnostics;
import dev.meshaware.core.testing.FakeSidecar;
import dev.meshaware.spring.testing.MeshLines;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The starter alone in a pod whose sidecar (a loopback WireMock) is ready: a Boot servlet app on
 * Tomcat with a short {@code server.tomcat.keep-alive-timeout} gets the keep-alive line with both
 * numbers, a WebFlux app on Reactor Netty without an idle timeout does not; a retried POST or PATCH
 * gets one line and a Micrometer count through the starter's filters, a retried GET neither.
 */
class KeepAliveAndRetriesTest {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private FakeSidecar sidecar;

  @BeforeEach
  void start() throws Exception {
    forgetStartupRecord();
    MeshDiagnostics.uninstall();
    sidecar = new FakeSidecar();
    sidecar.answer(200);
  }

  @AfterEach
  void stop() throws Exception {
    sidecar.close();
    MeshDiagnostics.uninstall();
    forgetStartupRecord();
  }

  @Test
  void tomcatWithAShortKeepAliveGetsTheLineAndARetriedPostIsCountedOnce() throws Exception {
    try (MeshLines lines = new MeshLines();
        ConfigurableApplicationContext context =
            run(WebApplicationType.SERVLET, "server.tomcat.keep-alive-timeout=5s")) {
      int port = port(context);
      assertThat(lines.containing("Tomcat on port " + port + " "))
          .as(lines.all().toString())
          .singleElement()
          .asString()
          .contains("closes idle keep-alive connections after 5s, the sidecar after 1h")
          .contains("server.tomcat.keep-alive-timeout");

      send(port, "POST", "/orders?id=1", "2");
      send(port, "GET", "/orders", "2");
      send(port, "POST", "/orders", "1");
      assertThat(lines.containing("retried "))
          .singleElement()
          .asString()
          .startsWith("[meshaware] WARNING retried POST /orders: attempt 2");
      assertThat(retried(context, "POST").count()).isEqualTo(1.0);
    }
  }

  @Test
  void reactorNettyWithoutAnIdleTimeoutGetsNoLineAndARetriedPatchIsCounted() throws Exception {
    try (MeshLines lines = new MeshLines();
        // Boot 3.5's test class path serves WebFlux on Tomcat: given a long timeout, it is quiet
        // too.
        ConfigurableApplicationContext context =
            run(WebApplicationType.REACTIVE, "server.tomcat.keep-alive-timeout=2h")) {
      int port = port(context);
      assertThat(lines.containing("on port " + port + " ")).as(lines.all().toString()).isEmpty();

      send(port, "PATCH", "/items/7", "3");
      send(port, "GET", "/items/7", "3");
      assertThat(lines.containing("retried "))
          .singleElement()
          .asString()
          .startsWith("[meshaware] WARNING retried PATCH /items/7: attempt 3");
      assertThat(retried(context, "PATCH").count()).isEqualTo(1.0);
    }
  }

  private static Counter retried(ConfigurableApplicationContext context, String method) {
    MeterRegistry registry = context.getBean(MeterRegistry.class);
    Counter counter =
        registry.find("meshaware.mesh.retried-requests").tag("method", method).counter();
    assertThat(counter).as(registry.getMeters().toString()).isNotNull();
    return counter;
  }

  private static int port(ConfigurableApplicationContext context) {
    return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
  }

  private static void send(int port, String method, String path, String attempt) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(method, HttpRequest.BodyPublishers.ofString("{}"))
            .header("x-envoy-attempt-count", attempt)
            .header("x-request-id", "r-" + method)
            .build();
    CLIENT.send(request, HttpResponse.BodyHandlers.discarding());
  }

  /** A Boot app in a pod ({@code KUBERNETES_SERVICE_HOST} on loopback) beside the sidecar. */
  private ConfigurableApplicationContext run(WebApplicationType type, String... settings) {
    StandardEnvironment environment = new StandardEnvironment();
    environment
        .getPropertySources()
        .replace(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
            new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                Map.of(
                    "KUBERNETES_SERVICE_HOST",
                    "127.0.0.1",
                    "KUBERNETES_SERVICE_PORT",
                    String.valueOf(sidecar.port()))));
    Map<String, Object> properties = new HashMap<>();
    properties.put("server.port", "0");
    properties.put("server.address", "127.0.0.1");
    properties.put("spring.main.banner-mode", "off");
    properties.put("meshaware.startup.ready-url", sidecar.readyUrl());
    properties.put("meshaware.shutdown.delay", "0s");
    properties.put("meshaware.shutdown.drain-timeout", "0s");
    properties.put("meshaware.shutdown.quit-proxy", "never");
    SpringApplication application = new SpringApplication(App.class);
    application.setWebApplicationType(type);
    application.setEnvironment(environment);
    application.setDefaultProperties(properties);
    String[] arguments = new String[settings.length];
    for (int i = 0; i < settings.length; i++) {
      arguments[i] = "--" + settings[i];
    }
    return application.run(arguments);
  }

  /** The JVM runs the gate once; each test here needs its own verdict (ready). */
  private static void forgetStartupRecord() throws Exception {
    Method forget =
        Class.forName("dev.meshaware.spring.startup.StartupRecord").getDeclaredMethod("forget");
    forget.setAccessible(true);
    forget.invoke(null);
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}
}
