package dev.meshaware.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.spring.testing.MvcApp;
import dev.meshaware.spring.testing.RunningApp;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport.ConditionAndOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport.ConditionAndOutcomes;

/**
 * Every meshaware auto-configuration appears in Boot's conditions report ({@code --debug}, {@code
 * /actuator/conditions}) with meshaware's reason, in a real Boot web application: switched off by
 * {@code meshaware.enabled=false}, and outside Kubernetes, where no sidecar can be (the shutdown
 * delay and the listen-address check are left out, saying why). The agent-attached case runs in a
 * child JVM ({@link AgentAttachedTest}).
 */
class ConditionsReportTest {

  @Test
  void disabledNamesTheSwitchForEveryAutoConfiguration() throws Exception {
    try (RunningApp app =
        RunningApp.start(
            WebApplicationType.SERVLET,
            MvcApp.class,
            false,
            "meshaware.enabled=false",
            "management.endpoints.web.exposure.include=conditions")) {
      Map<String, ConditionAndOutcomes> report = meshawareOutcomes(app);
      assertThat(report.keySet()).containsAll(autoConfigurations());
      for (String name : autoConfigurations()) {
        List<ConditionAndOutcome> outcomes = list(report.get(name));
        if (libraryAbsent(outcomes)) {
          continue; // Boot checks classes first: "did not find required class" is the reason
        }
        assertThat(outcomes)
            .as(name)
            .anySatisfy(
                outcome -> {
                  assertThat(outcome.getOutcome().isMatch()).isFalse();
                  assertThat(outcome.getOutcome().getMessage())
                      .contains("meshaware.enabled is false");
                });
      }
      assertThat(app.get("/actuator/conditions", Map.of()).body())
          .contains("DiagnosticsAutoConfiguration")
          .contains("meshaware.enabled is false");
    }
  }

  @Test
  void outsideKubernetesTheMeshOnlyFeaturesSayNoSidecarCanBeHere() throws Exception {
    try (RunningApp app =
        RunningApp.start(
            WebApplicationType.SERVLET,
            MvcApp.class,
            false,
            "management.endpoints.web.exposure.include=conditions")) {
      Map<String, ConditionAndOutcomes> report = meshawareOutcomes(app);
      assertThat(report.keySet()).containsAll(autoConfigurations());
      for (String name : autoConfigurations()) {
        if (libraryAbsent(list(report.get(name)))) {
          continue;
        }
        assertThat(list(report.get(name)))
            .as(name + ": meshaware's own reason")
            .anySatisfy(
                outcome ->
                    assertThat(outcome.getOutcome().getMessage())
                        .containsIgnoringCase("meshaware"));
      }
      assertThat(messages(report, "ShutdownAutoConfiguration#meshawareShutdownDelay", false))
          .filteredOn(message -> message.contains("no sidecar"))
          .singleElement()
          .asString()
          .contains("no sidecar can be here (")
          .contains("meshaware.shutdown.delay");
      assertThat(messages(report, "BindCheckAutoConfiguration#meshawareBindCheck", false))
          .singleElement()
          .asString()
          .contains("no sidecar can be here (")
          .contains("meshaware.bind.check is not set");
      assertThat(messages(report, "PropagationAutoConfiguration", true))
          .anySatisfy(message -> assertThat(message).contains("the starter forwards the headers"));
      assertThat(messages(report, "DiagnosticsAutoConfiguration.BlockingClientConfiguration", true))
          .anySatisfy(message -> assertThat(message).contains("the starter observes the clients"));
      String endpoint = app.get("/actuator/conditions", Map.of()).body();
      assertThat(endpoint).contains("no sidecar can be here (");
    }
  }

  @Test
  void aDelaySetExplicitlyHoldsEvenWithoutASidecar() throws Exception {
    try (RunningApp app =
        RunningApp.start(
            WebApplicationType.SERVLET,
            MvcApp.class,
            false,
            "meshaware.shutdown.delay=1s",
            "meshaware.bind.check=warn")) {
      Map<String, ConditionAndOutcomes> report = meshawareOutcomes(app);
      assertThat(messages(report, "ShutdownAutoConfiguration#meshawareShutdownDelay", true))
          .anySatisfy(message -> assertThat(message).contains("the starter holds SIGTERM for 1s"));
      assertThat(messages(report, "BindCheckAutoConfiguration#meshawareBindCheck", true))
          .singleElement()
          .asString()
          .contains("the starter checks Boot's web servers");
    }
  }

  /** The meshaware entries of the report, by configuration class or bean method (simple names). */
  static Map<String, ConditionAndOutcomes> meshawareOutcomes(RunningApp app) {
    ConditionEvaluationReport report =
        ConditionEvaluationReport.get(app.context().getBeanFactory());
    return report.getConditionAndOutcomesBySource().entrySet().stream()
        .filter(entry -> entry.getKey().startsWith("dev.meshaware.spring."))
        .collect(
            Collectors.toMap(
                entry ->
                    entry.getKey().substring(entry.getKey().lastIndexOf('.') + 1).replace('$', '.'),
                Map.Entry::getValue,
                (a, b) -> a));
  }

  private static List<String> messages(
      Map<String, ConditionAndOutcomes> report, String source, boolean matched) {
    assertThat(report).as(source).containsKey(source);
    List<String> found = new ArrayList<>();
    for (ConditionAndOutcome outcome : report.get(source)) {
      if (outcome.getOutcome().isMatch() == matched
          && outcome.getOutcome().getMessage().contains("meshaware")) {
        found.add(outcome.getOutcome().getMessage());
      }
    }
    return found;
  }

  /** An auto-configuration for a library this test application does not have. */
  private static boolean libraryAbsent(List<ConditionAndOutcome> outcomes) {
    return outcomes.stream()
        .anyMatch(
            outcome ->
                !outcome.getOutcome().isMatch()
                    && outcome.getOutcome().getMessage().contains("did not find required class"));
  }

  private static List<ConditionAndOutcome> list(ConditionAndOutcomes outcomes) {
    List<ConditionAndOutcome> list = new ArrayList<>();
    outcomes.forEach(list::add);
    return list;
  }

  /** The auto-configurations the starter declares, by simple name. */
  static List<String> autoConfigurations() throws IOException {
    try (InputStream in =
        ConditionsReportTest.class.getResourceAsStream(
            "/META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .map(String::trim)
          .filter(line -> line.startsWith("dev.meshaware."))
          .map(line -> line.substring(line.lastIndexOf('.') + 1))
          .collect(Collectors.toList());
    }
  }
}
