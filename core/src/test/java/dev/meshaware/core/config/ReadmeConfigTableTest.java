package dev.meshaware.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** The README's configuration table is checked against the keys core really reads. */
class ReadmeConfigTableTest {

  @Test
  void documentsEveryKeyWithItsDefault() throws IOException {
    Path readme = Paths.get("..", "README.md");
    String text = new String(Files.readAllBytes(readme), StandardCharsets.UTF_8);
    for (Setting<?> setting : MeshawareKeys.ALL) {
      String shownDefault =
          setting.defaultText().isEmpty() ? "(none)" : "`" + setting.defaultText() + "`";
      assertThat(text)
          .as("README row for " + setting.key())
          .contains("| `" + setting.key() + "` | " + shownDefault + " |");
    }
  }

  @Test
  void documentsNoKeyThatDoesNotExist() throws IOException {
    Path readme = Paths.get("..", "README.md");
    for (String line : Files.readAllLines(readme, StandardCharsets.UTF_8)) {
      if (line.startsWith("| `meshaware.")) {
        String key = line.substring(3, line.indexOf('`', 3));
        assertThat(MeshawareKeys.ALL).extracting(Setting::key).as(line).contains(key);
      }
    }
  }
}
