package dev.meshaware.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CoreVersionTest {
  @Test
  void versionIsTheProjectVersionOfThisBuild() {
    assertThat(CoreVersion.VERSION)
        .as("CoreVersion.VERSION must be updated with the project version in the poms")
        .isEqualTo(System.getProperty("meshaware.projectVersion"));
  }
}
