package dev.meshaware.spring.startup;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.startup.GateResult;
import dev.meshaware.core.testing.FakeSidecar;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * {@code SpringApplication.run} is held before the application context exists until the (WireMock)
 * sidecar answers 200, with settings from the application's YAML, and only once per JVM.
 */
class StartupGateTest {
  private FakeSidecar sidecar;

  @BeforeEach
  void start() {
    StartupRecord.forget();
    sidecar = new FakeSidecar();
  }

  @AfterEach
  void stop() {
    sidecar.close();
    StartupRecord.forget();
  }

  @Test
  void holdsTheStartUntilTheSidecarIsReady() throws Exception {
    sidecar.answer(503);
    AtomicLong readyAt = new AtomicLong();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    // Ready only once the gate has seen "not ready" a few times, however slow the start is.
    timer.scheduleWithFixedDelay(
        () -> {
          if (readyAt.get() == 0 && probes() >= 3) {
            readyAt.set(System.nanoTime());
            sidecar.answer(200);
          }
        },
        10,
        10,
        TimeUnit.MILLISECONDS);
    try (ConfigurableApplicationContext context = run(Map.of())) {
      assertThat(context.getBean(GatedApp.class).createdAt)
          .as("no bean exists before the sidecar is ready")
          .isGreaterThan(readyAt.get());
      StartupRecord record = context.getBean(StartupRecord.class);
      assertThat(record.ranBy()).isEqualTo(StartupRecord.RanBy.STARTER);
      assertThat(record.gate().verdict()).isEqualTo(GateResult.Verdict.READY);
      assertThat(record.gate().waited()).isPositive();
    } finally {
      timer.shutdownNow();
    }
  }

  @Test
  void inKubernetesAutoModeWaitsAndRunsOncePerJvm() {
    sidecar.answer(200);
    Map<String, Object> pod = Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1");
    try (ConfigurableApplicationContext first = run(pod, "meshaware.startup.mode=auto")) {
      assertThat(first.getBean(StartupRecord.class).gate().verdict())
          .isEqualTo(GateResult.Verdict.READY);
    }
    int probes = probes();
    assertThat(probes).isPositive();

    try (ConfigurableApplicationContext second = run(pod, "meshaware.startup.mode=auto")) {
      assertThat(second.getBean(StartupRecord.class).gate().verdict())
          .isEqualTo(GateResult.Verdict.READY);
    }
    assertThat(probes()).as("a second application in the same JVM does not gate").isEqualTo(probes);
  }

  @Test
  void outsideKubernetesAutoModeNeverProbes() {
    try (ConfigurableApplicationContext context = run(Map.of(), "meshaware.startup.mode=auto")) {
      assertThat(context.getBean(StartupRecord.class).gate().verdict())
          .isEqualTo(GateResult.Verdict.SKIPPED);
    }
    sidecar.verifyNeverProbed();
  }

  @Test
  void disabledDoesNothing() {
    try (ConfigurableApplicationContext context = run(Map.of(), "meshaware.enabled=false")) {
      assertThat(context.getBeansOfType(StartupRecord.class)).isEmpty();
    }
    sidecar.verifyNeverProbed();
  }

  private int probes() {
    return sidecar.server().findAll(getRequestedFor(urlEqualTo(FakeSidecar.READY_PATH))).size();
  }

  /**
   * Runs {@link GatedApp} with the YAML settings of gate-test.yml, the sidecar's URL, {@code
   * settings}, and {@code variables} as the process environment.
   */
  private ConfigurableApplicationContext run(Map<String, Object> variables, String... settings) {
    StandardEnvironment environment = new StandardEnvironment();
    environment
        .getPropertySources()
        .replace(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
            new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
    Map<String, Object> properties = new HashMap<>();
    properties.put("spring.config.name", "gate-test");
    properties.put("spring.main.banner-mode", "off");
    properties.put("meshaware.startup.ready-url", sidecar.readyUrl());
    SpringApplication application = new SpringApplication(GatedApp.class);
    application.setWebApplicationType(WebApplicationType.NONE);
    application.setEnvironment(environment);
    application.setDefaultProperties(properties);
    String[] arguments = new String[settings.length];
    for (int i = 0; i < settings.length; i++) {
      arguments[i] = "--" + settings[i];
    }
    return application.run(arguments);
  }

  @Configuration(proxyBeanMethods = false)
  static class GatedApp {
    final long createdAt = System.nanoTime();
  }
}
