package dev.meshaware.agent.library;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.agent.instrument.Library;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The README's table of switches names every library there is, and no other. */
class LibrariesDocumentedTest {
  @Test
  void theReadmeListsEveryLibrarySwitchOnce() throws IOException {
    String readme = Files.readString(Paths.get("..", "README.md"), StandardCharsets.UTF_8);
    String table =
        readme.substring(readme.indexOf("### Instrumented libraries"), readme.indexOf("## Layout"));
    Set<String> documented = new HashSet<>();
    for (String line : table.split("\n")) {
      if (line.startsWith("| `")) {
        documented.add(line.substring(3, line.indexOf('`', 3)));
      }
    }
    Set<String> names = new HashSet<>();
    for (Library library : Libraries.all()) {
      assertThat(names.add(library.name())).as("one switch per name: " + library.name()).isTrue();
      assertThat(LibrarySelection.switchFor(library.name()).key())
          .startsWith(LibrarySelection.KEY_PREFIX);
    }
    assertThat(documented).isEqualTo(names);
  }
}
