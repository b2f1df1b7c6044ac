package dev.meshaware.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.agent.testing.ChildJvm;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The agent jar lands on the application's class path: nothing in it may clash with the app's. */
class AgentJarContentIT {

  @Test
  void holdsOnlyMeshawareClassesAndMetadata() throws IOException {
    try (JarFile jar = new JarFile(ChildJvm.agentJar().toFile())) {
      List<String> names =
          Collections.list(jar.entries()).stream()
              .map(JarEntry::getName)
              .collect(Collectors.toList());
      assertThat(names).contains("dev/meshaware/agent/MeshawareAgent.class");
      assertThat(names)
          .as("entries outside dev/meshaware/ and META-INF/")
          .allMatch(
              n -> n.startsWith("dev/meshaware/") || n.startsWith("META-INF/") || n.equals("dev/"));
      assertThat(names)
          .as("classes hidden under META-INF (multi-release, services)")
          .noneMatch(n -> n.startsWith("META-INF/") && n.endsWith(".class"))
          .noneMatch(n -> n.startsWith("META-INF/services/"));
      assertThat(names)
          .as("Byte Buddy must be relocated")
          .anyMatch(n -> n.startsWith("dev/meshaware/agent/shaded/net/bytebuddy/"))
          .noneMatch(n -> n.startsWith("net/"));
      assertThat(names)
          .as("the references the shape check reads; not the build-time code that wrote them")
          .contains("META-INF/meshaware/references.txt")
          .noneMatch(n -> n.contains("ReferenceGenerator") || n.contains("ReferenceScanner"));
    }
  }

  @Test
  void declaresTheAgentEntryPoints() throws IOException {
    try (JarFile jar = new JarFile(ChildJvm.agentJar().toFile())) {
      Attributes manifest = jar.getManifest().getMainAttributes();
      assertThat(manifest.getValue("Premain-Class")).isEqualTo(MeshawareAgent.class.getName());
      assertThat(manifest.getValue("Agent-Class")).isEqualTo(MeshawareAgent.class.getName());
      assertThat(manifest.getValue("Can-Retransform-Classes")).isEqualTo("true");
      assertThat(manifest.getValue("Can-Redefine-Classes")).isEqualTo("true");
      assertThat(manifest.getValue("Multi-Release")).isNull();
    }
  }
}
