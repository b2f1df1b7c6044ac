package dev.meshaware.spring.metadata;

import dev.meshaware.core.config.MeshawareKeys;
import dev.meshaware.core.config.Setting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the starter's {@code META-INF/spring-configuration-metadata.json} from core's key table
 * ({@link MeshawareKeys#ALL}) at build time, so that the IDE help for {@code meshaware.*} is the
 * table the agent and the starter read, not a second copy of it. Each key gets its description and
 * accepted form, its default, and for a choice the values core accepts. What is bound is decided by
 * core reading the same keys through Spring's environment ({@code SpringConfigSource}); the starter
 * binds no properties class of its own.
 *
 * <p>Run by the build ({@code process-classes}) with the output file as the only argument.
 */
public final class ConfigurationMetadataWriter {
  private ConfigurationMetadataWriter() {}

  public static void main(String[] arguments) throws IOException {
    if (arguments.length != 1) {
      throw new IllegalArgumentException("usage: ConfigurationMetadataWriter <output json file>");
    }
    Path out = Path.of(arguments[0]);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, json(MeshawareKeys.ALL), StandardCharsets.UTF_8);
  }

  /** The metadata document for {@code settings}. */
  static String json(List<Setting<?>> settings) {
    List<String> groups = new ArrayList<>();
    List<String> properties = new ArrayList<>();
    List<String> hints = new ArrayList<>();
    groups.add("    {\"name\": \"meshaware\"}");
    for (Setting<?> setting : settings) {
      String group = group(setting.key());
      if (group != null && groups.stream().noneMatch(g -> g.contains("\"" + group + "\""))) {
        groups.add("    {\"name\": " + quote(group) + "}");
      }
      Object defaultValue = setting.parse(setting.defaultText());
      StringBuilder property =
          new StringBuilder("    {\"name\": ")
              .append(quote(setting.key()))
              .append(", \"type\": ")
              .append(quote(type(defaultValue)))
              .append(", \"description\": ")
              .append(quote(description(setting)));
      String defaultJson = defaultJson(setting, defaultValue);
      if (defaultJson != null) {
        property.append(", \"defaultValue\": ").append(defaultJson);
      }
      properties.add(property.append('}').toString());
      if (defaultValue instanceof Enum) {
        List<String> values = new ArrayList<>();
        for (Object constant : defaultValue.getClass().getEnumConstants()) {
          values.add("{\"value\": " + quote(choiceName((Enum<?>) constant)) + "}");
        }
        hints.add(
            "    {\"name\": "
                + quote(setting.key())
                + ", \"values\": ["
                + String.join(", ", values)
                + "]}");
      }
    }
    return "{\n  \"groups\": [\n"
        + String.join(",\n", groups)
        + "\n  ],\n  \"properties\": [\n"
        + String.join(",\n", properties)
        + "\n  ],\n  \"hints\": [\n"
        + String.join(",\n", hints)
        + "\n  ]\n}\n";
  }

  /** {@code meshaware.startup} for {@code meshaware.startup.mode}; null for a top-level key. */
  private static String group(String key) {
    int last = key.lastIndexOf('.');
    return last > "meshaware".length() ? key.substring(0, last) : null;
  }

  private static String description(Setting<?> setting) {
    String text = setting.description().trim();
    if (!text.endsWith(".")) {
      text += ".";
    }
    return text + " Accepted: " + setting.acceptedForm() + ".";
  }

  /**
   * The type an IDE checks values against. Core's own value types (endpoints, globs, port lists)
   * are written as text, which is what Spring hands core.
   */
  private static String type(Object value) {
    if (value instanceof Boolean) {
      return "java.lang.Boolean";
    }
    if (value instanceof Duration) {
      return "java.time.Duration";
    }
    if (value instanceof Integer) {
      return "java.lang.Integer";
    }
    if (value instanceof List) {
      return "java.util.List<java.lang.String>";
    }
    return "java.lang.String";
  }

  /** The default as JSON: booleans as booleans, lists as arrays, the rest as core's text. */
  private static String defaultJson(Setting<?> setting, Object value) {
    String text = setting.defaultText();
    if (value instanceof Boolean) {
      return text.trim();
    }
    if (text.isEmpty()) {
      return null;
    }
    if (value instanceof List) {
      List<String> items = new ArrayList<>();
      for (String item : text.split(",")) {
        if (!item.isBlank()) {
          items.add(quote(item.trim()));
        }
      }
      return "[" + String.join(", ", items) + "]";
    }
    return quote(text);
  }

  private static String choiceName(Enum<?> constant) {
    return constant.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  private static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        default:
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    return out.append('"').toString();
  }
}
