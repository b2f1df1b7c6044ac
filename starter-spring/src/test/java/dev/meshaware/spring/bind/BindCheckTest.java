package dev.meshaware.spring.bind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshaware.spring.startup.StartupRecords;
import dev.meshaware.spring.testing.MeshLines;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
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
 * Real Tomcat servers, "in Kubernetes" (so a sidecar may be beside them): one on loopback gets one
 * warning naming the fix, one on all addresses none; a separate management server is judged by its
 * own address.
 */
class BindCheckTest {
  private static final Map<String, Object> POD = Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1");

  @BeforeEach
  @AfterEach
  void forgetGate() {
    StartupRecords.forget();
  }

  @Test
  void loopbackServerGetsOneWarningWithTheFix() throws IOException {
    int port = freePort();
    try (MeshLines lines = new MeshLines();
        ConfigurableApplicationContext context =
            run(POD, "server.address=127.0.0.1", "server.port=" + port)) {
      List<String> warnings = lines.containing("WARNING");
      assertThat(warnings).as(lines.all().toString()).hasSize(1);
      assertThat(warnings.get(0))
          .startsWith("[meshaware] WARNING server socket 127.0.0.1:" + port)
          .contains("server.address=0.0.0.0", "loopback only");
    }
  }

  @Test
  void allAddressesAreSilentAndTheManagementServerIsJudgedOnItsOwn() throws IOException {
    int port = freePort();
    int management = freePort();
    try (MeshLines lines = new MeshLines();
        ConfigurableApplicationContext context =
            run(
                POD,
                "server.address=0.0.0.0",
                "server.port=" + port,
                "management.server.port=" + management,
                "management.server.address=127.0.0.1")) {
      List<String> warnings = lines.containing("WARNING");
      assertThat(warnings).as(lines.all().toString()).hasSize(1);
      assertThat(warnings.get(0))
          .contains("127.0.0.1:" + management, "management.server.address=127.0.0.1");
    }
  }

  @Test
  void failModeStopsTheStart() throws IOException {
    int port = freePort();
    try (MeshLines lines = new MeshLines()) {
      assertThatThrownBy(
              () ->
                  run(
                          POD,
                          "server.address=127.0.0.1",
                          "server.port=" + port,
                          "meshaware.bind.check=fail")
                      .close())
          .hasStackTraceContaining("refused to serve (meshaware.bind.check=fail)");
      assertThat(lines.containing("ERROR refused to serve")).hasSize(1);
    }
  }

  @Test
  void outsideKubernetesNothingIsSaid() throws IOException {
    try (MeshLines lines = new MeshLines();
        ConfigurableApplicationContext context =
            run(Map.of(), "server.address=127.0.0.1", "server.port=" + freePort())) {
      assertThat(lines.containing("server socket")).isEmpty();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Runs {@link WebApp} with {@code variables} as the process environment. */
  static ConfigurableApplicationContext run(Map<String, Object> variables, String... settings) {
    StandardEnvironment environment = new StandardEnvironment();
    environment
        .getPropertySources()
        .replace(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
            new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
    Map<String, Object> properties = new HashMap<>();
    properties.put("spring.main.banner-mode", "off");
    properties.put("meshaware.startup.mode", "never");
    properties.put("meshaware.shutdown.delay", "0s"); // "in Kubernetes" would hold every close
    for (String setting : settings) {
      int equals = setting.indexOf('=');
      properties.put(setting.substring(0, equals), setting.substring(equals + 1));
    }
    SpringApplication application = new SpringApplication(WebApp.class);
    application.setWebApplicationType(WebApplicationType.SERVLET);
    application.setEnvironment(environment);
    application.setDefaultProperties(properties);
    return application.run();
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class WebApp {}
}
