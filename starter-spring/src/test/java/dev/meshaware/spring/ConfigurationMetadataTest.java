package dev.meshaware.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.config.MeshawareKeys;
import dev.meshaware.core.config.Setting;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataProperty;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepositoryJsonBuilder;

/**
 * The IDE help the starter ships (the metadata the build writes from core's key table) names
 * exactly core's keys, with core's defaults: one source of truth, and this test fails on drift.
 */
class ConfigurationMetadataTest {

  @Test
  void metadataHasCoresKeysAndDefaults() throws Exception {
    Map<String, ConfigurationMetadataProperty> properties;
    try (InputStream json =
        MeshawareAutoConfiguration.class.getResourceAsStream(
            "/META-INF/spring-configuration-metadata.json")) {
      properties =
          ConfigurationMetadataRepositoryJsonBuilder.create(json).build().getAllProperties();
    }
    Set<String> documented =
        properties.keySet().stream()
            .filter(key -> key.startsWith("meshaware."))
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> core =
        MeshawareKeys.ALL.stream().map(Setting::key).collect(Collectors.toCollection(TreeSet::new));
    assertThat(documented).isEqualTo(core);

    for (Setting<?> setting : MeshawareKeys.ALL) {
      ConfigurationMetadataProperty property = properties.get(setting.key());
      assertThat(property.getDescription()).as(setting.key() + " has IDE help").isNotBlank();
      assertThat((Object) setting.parse(text(property.getDefaultValue())))
          .as(setting.key() + " default")
          .isEqualTo(setting.parse(setting.defaultText()));
    }
  }

  /** A metadata default as core's text: lists comma-separated, none as empty. */
  private static String text(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Object[]) {
      return Arrays.stream((Object[]) value).map(String::valueOf).collect(Collectors.joining(","));
    }
    if (value instanceof Collection) {
      return ((Collection<?>) value).stream().map(String::valueOf).collect(Collectors.joining(","));
    }
    return String.valueOf(value);
  }
}
