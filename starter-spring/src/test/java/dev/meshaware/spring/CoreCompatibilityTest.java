package dev.meshaware.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.CoreVersion;
import org.junit.jupiter.api.Test;

/** The words of the one line, for each way the core in use can differ from the starter's. */
class CoreCompatibilityTest {

  @Test
  void theStartersOwnCoreMatches() {
    assertThat(CoreCompatibility.problem(getClass().getClassLoader(), CoreVersion.VERSION))
        .isNull();
    assertThat(CoreCompatibility.starterMustStayOff()).isFalse();
  }

  @Test
  void anAgentOfAnotherVersionNamesBothVersionsAndTheFix() {
    assertThat(CoreCompatibility.describe(true, "0.2.0", "0.1.0"))
        .isEqualTo(
            "the meshaware agent in this JVM is version 0.2.0 and this Spring Boot starter 0.1.0:"
                + " the agent's core classes take the place of the starter's, so the starter"
                + " switches itself off and leaves the work to the agent. Use the same meshaware"
                + " version for the agent and the starter");
  }

  @Test
  void anAgentWithoutAVersionMarkerIsOlder() {
    assertThat(CoreCompatibility.describe(true, null, "0.1.0"))
        .startsWith(
            "the meshaware agent in this JVM is version older than 0.1 (no version marker) and"
                + " this Spring Boot starter 0.1.0");
  }

  @Test
  void anotherCoreOnTheClassPathNamesTheVersionToUse() {
    assertThat(CoreCompatibility.describe(false, "0.2.0", "0.1.0"))
        .isEqualTo(
            "meshaware-core 0.2.0 on the class path does not match this Spring Boot starter"
                + " 0.1.0, so the starter switches itself off. Use meshaware-core 0.1.0, the"
                + " version the starter depends on");
  }

  @Test
  void noCoreAtAllSwitchesTheStarterOff() {
    ClassLoader bare = new ClassLoader(null) {};
    assertThat(CoreCompatibility.problem(bare, "0.1.0"))
        .startsWith("cannot tell which meshaware core this JVM runs")
        .contains("Use the same meshaware version");
  }
}
