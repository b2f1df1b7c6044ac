package dev.meshaware.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.AgentStatus;
import dev.meshaware.core.AgentStatus.Feature;
import dev.meshaware.core.config.ConfigSource;
import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.diagnostics.MeshDiagnostics;
import dev.meshaware.core.startup.ReadinessGate;
import dev.meshaware.spring.actuate.MeshawareEndpoint;
import dev.meshaware.spring.startup.StartupRecords;
import dev.meshaware.spring.testing.MeshLines;
import java.io.IOException;
import java.net.ServerSocket;
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
 * An agent whose start failed in part, standing for one in this JVM (core's status says what it put
 * in place): the starter does every feature the agent did not, says why in one line, and leaves
 * alone what the agent did. A real servlet application "in Kubernetes", so that the bind check, the
 * shutdown delay and diagnostics all apply. The child-JVM test with a real failing agent is {@code
 * AgentStartFailureChildTest}.
 */
class AgentFeatureTakeoverTest {
  private static final Map<String, Object> POD = Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1");

  @BeforeEach
  @AfterEach
  void forget() {
    AgentStatus.forget();
    StartupRecords.forget();
    MeshDiagnostics.uninstall();
  }

  @Test
  void agentFailedBeforeItsGateSoTheStarterDoesEverythingAndSaysWhy() throws IOException {
    AgentStatus.started();
    AgentStatus.failed("java.lang.IllegalStateException: broken");
    int port = freePort();
    try (MeshLines lines = new MeshLines();
        ConfigurableApplicationContext context = run(port)) {
      assertThat(lines.containing("agent start failed"))
          .as(lines.all().toString())
          .containsExactly(
              "[meshaware] WARNING agent start failed: java.lang.IllegalStateException: broken;"
                  + " the starter takes over the startup gate, header forwarding, the"
                  + " listen-address check, the shutdown delay and failure diagnostics");
      assertThat(lines.containing("WARNING server socket 127.0.0.1:" + port)).hasSize(1);
      assertThat(report(context))
          .contains(
              "ranBy=starter",
              "forwardedBy=starter",
              "checkedBy=starter",
              "heldBy=starter",
              "installedBy=starter");
    }
  }

  @Test
  void agentWithGateAndShutdownInPlaceKeepsThemAndTheStarterDoesTheRest() throws IOException {
    AgentStatus.started();
    AgentStatus.gateRan(new ReadinessGate(neverWaits()).await());
    AgentStatus.record(Feature.SHUTDOWN);
    AgentStatus.failed("instrumentation unavailable (java.lang.UnsupportedOperationException)");
    int port = freePort();
    try (MeshLines lines = new MeshLines();
        ConfigurableApplicationContext context = run(port)) {
      assertThat(lines.containing("agent start failed"))
          .as(lines.all().toString())
          .containsExactly(
              "[meshaware] WARNING agent start failed: instrumentation unavailable"
                  + " (java.lang.UnsupportedOperationException); the starter takes over header"
                  + " forwarding, the listen-address check and failure diagnostics, the agent"
                  + " still does the startup gate and the shutdown delay");
      assertThat(lines.containing("WARNING server socket 127.0.0.1:" + port)).hasSize(1);
      assertThat(report(context))
          .contains(
              "ranBy=agent",
              "forwardedBy=starter",
              "checkedBy=starter",
              "heldBy=agent",
              "installedBy=starter");
    }
  }

  @Test
  void agentWithEverythingInPlaceLeavesTheStarterNothingToDo() throws IOException {
    AgentStatus.started();
    AgentStatus.gateRan(new ReadinessGate(neverWaits()).await());
    for (Feature feature : Feature.values()) {
      if (feature != Feature.STARTUP_GATE) {
        AgentStatus.record(feature);
      }
    }
    MeshDiagnostics.install("agent", neverWaits());
    int port = freePort();
    try (MeshLines lines = new MeshLines();
        ConfigurableApplicationContext context = run(port)) {
      assertThat(lines.containing("agent start failed")).isEmpty();
      assertThat(lines.containing("the meshaware agent is attached to this JVM and does"))
          .hasSize(1);
      assertThat(lines.containing("WARNING server socket")).as("the agent's job").isEmpty();
      assertThat(report(context))
          .contains("ranBy=agent", "checkedBy=agent", "heldBy=agent", "installedBy=agent");
    }
  }

  private static MeshawareSettings neverWaits() {
    return MeshawareSettings.load(
        ConfigSource.of(Map.of("meshaware.startup.mode", "never"), Map.of()));
  }

  private static String report(ConfigurableApplicationContext context) {
    return context.getBean(MeshawareEndpoint.class).report().toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** A servlet application on loopback {@code port}, "in Kubernetes". */
  private static ConfigurableApplicationContext run(int port) {
    StandardEnvironment environment = new StandardEnvironment();
    environment
        .getPropertySources()
        .replace(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
            new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, POD));
    Map<String, Object> properties = new HashMap<>();
    properties.put("spring.main.banner-mode", "off");
    properties.put("meshaware.startup.mode", "never");
    properties.put("meshaware.shutdown.delay", "100ms");
    properties.put("server.address", "127.0.0.1");
    properties.put("server.port", String.valueOf(port));
    properties.put("management.endpoints.web.exposure.include", "meshaware");
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
